/** The HTTP/2 response every writer gets (proxied, cache hit, own page): connection-specific fields are dropped, never thrown on. */

import type { OutgoingHttpHeader, OutgoingHttpHeaders } from 'node:http';
import { Http2ServerResponse } from 'node:http2';

/**
 * RFC 9113 §8.2.2: an HTTP/2 message carries none of these; Node throws ERR_HTTP2_INVALID_CONNECTION_HEADERS
 * (or warns, for Connection) on them. Backends and Gerbang's own h1 logic (`Connection: close`) still set them.
 */
const CONNECTION_SPECIFIC: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'te',
]);

function isConnectionSpecific(name: string): boolean {
  return CONNECTION_SPECIFIC.has(name.toLowerCase());
}

/** The fields a Connection value names are connection-specific too. */
function namedBy(value: OutgoingHttpHeader | undefined): string[] {
  if (value === undefined || typeof value === 'number') return [];
  const lines = Array.isArray(value) ? value : [value];
  return lines.flatMap((line) => line.split(',').map((token) => token.trim().toLowerCase()));
}

/** A copy without connection-specific fields; the same object when it has none (nearly always: upstream heads come stripped). */
function withoutConnectionFields(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  let named: string[] | undefined;
  let dirty = false;
  for (const name in headers) {
    if (!isConnectionSpecific(name)) continue;
    dirty = true;
    if (name.toLowerCase() === 'connection') named = namedBy(headers[name]);
  }
  if (!dirty) return headers;
  const kept: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (CONNECTION_SPECIFIC.has(lower) || named?.includes(lower)) continue;
    kept[name] = headers[name];
  }
  return kept;
}

function pairsWithoutConnectionFields(pairs: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const name = pairs[i] as string;
    if (!isConnectionSpecific(name)) kept.push(name, pairs[i + 1] as string);
  }
  return kept;
}

export class EdgeHttp2Response extends Http2ServerResponse {
  override setHeader(name: string, value: number | string | readonly string[]): void {
    if (!isConnectionSpecific(name)) super.setHeader(name, value);
  }

  override appendHeader(name: string, value: string | string[]): void {
    if (!isConnectionSpecific(name)) super.appendHeader(name, value);
  }

  // HTTP/2 has no reason phrase: it is dropped here rather than warned about by Node on every response.
  override writeHead(
    statusCode: number,
    messageOrHeaders?: string | OutgoingHttpHeaders | readonly string[],
    maybeHeaders?: OutgoingHttpHeaders | readonly string[],
  ): this {
    const headers = typeof messageOrHeaders === 'string' ? maybeHeaders : messageOrHeaders;
    if (headers === undefined) return super.writeHead(statusCode);
    if (Array.isArray(headers)) return super.writeHead(statusCode, pairsWithoutConnectionFields(headers));
    return super.writeHead(statusCode, withoutConnectionFields(headers as OutgoingHttpHeaders));
  }
}
