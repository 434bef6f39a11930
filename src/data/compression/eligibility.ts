/** Whether a response may be compressed at all, whatever the client accepts: its type, size, status, and what the backend and the request said. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Types that shrink: text, markup, scripts, styles, data; images, archives and media are compressed already. */
const COMPRESSIBLE = new Set([
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/json',
  'application/manifest+json',
  'application/xml',
  'application/xhtml+xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/ld+json',
  'application/wasm',
  'image/svg+xml',
  'font/ttf',
  'font/otf',
]);

/**
 * text/event-stream is text, but its events must reach the browser as they are written: a compressor would hold
 * them until its buffer fills.
 */
const NEVER = new Set(['text/event-stream']);

function first(value: OutgoingHttpHeaders[string] | IncomingHttpHeaders[string]): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value[0];
  return String(value);
}

/** The media type without parameters, lower case. */
function mediaType(contentType: string): string {
  const semi = contentType.indexOf(';');
  return (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
}

export function compressibleType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = mediaType(contentType);
  if (NEVER.has(type)) return false;
  if (type.startsWith('text/') || COMPRESSIBLE.has(type)) return true;
  return type.endsWith('+json') || type.endsWith('+xml');
}

/** A Cache-Control with no-transform (RFC 9111 §5.2.2.6): no intermediary may change the body's coding. */
function noTransform(value: string | undefined): boolean {
  return value !== undefined && /(^|[\s,])no-transform(\s*(,|$))/i.test(value);
}

export interface Eligibility {
  status: number;
  method: string | undefined;
  requestHeaders: IncomingHttpHeaders;
  headers: OutgoingHttpHeaders | IncomingHttpHeaders;
  /** The body's length when known (a stored body's, or Content-Length); undefined for a stream of unknown length. */
  length: number | undefined;
  minBytes: number;
}

/** Content-Length as a number; undefined when absent or not a length. */
export function announcedLength(headers: OutgoingHttpHeaders | IncomingHttpHeaders): number | undefined {
  const value = first(headers['content-length']);
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * True when this response would be compressed for a client that accepts a coding: a 2xx other than 204 and
 * 206 with a body (not HEAD), no Range asked, no coding of its own, no no-transform, a compressible type, and
 * no announced length below `minBytes` (an unknown length is compressed: it is a stream, usually a page).
 */
export function mayCompress(e: Eligibility): boolean {
  const status = e.status;
  if (status < 200 || status >= 300 || status === 204 || status === 206) return false;
  if (e.method === 'HEAD' || e.requestHeaders.range !== undefined) return false;
  const h = e.headers;
  if (h['content-encoding'] !== undefined || h['content-range'] !== undefined) return false;
  if (noTransform(first(h['cache-control']))) return false;
  if (!compressibleType(first(h['content-type']))) return false;
  return e.length === undefined || e.length >= e.minBytes;
}
