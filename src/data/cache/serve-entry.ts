/** Replies from a stored response: Age and Cache-Status, the client's own conditionals (304) and single byte ranges (206). */

import type { IncomingHttpHeaders } from 'node:http';
import { encodedEtag } from '../compression/etag.js';
import { pushNotModifiedFields, sendStoredRepresentation } from '../compression/serve-stored.js';
import { storedCoding } from '../compression/stored-variants.js';
import { applyResponseHeaders } from '../policy/response-headers.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import { ageOf, type CacheEntry } from './cache-entry.js';
import { type Head, pushStoredFields, sendStored } from './stored-reply.js';

/** The client's conditional request fields: answered by Gerbang from a stored response, not sent upstream. */
export const CONDITIONALS = [
  'if-none-match',
  'if-modified-since',
  'if-range',
  'if-match',
  'if-unmodified-since',
];

/** Fields a 304 carries from the stored 200 (RFC 9110 §15.4.5). */
const NOT_MODIFIED_FIELDS = [
  'cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'last-modified',
];

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

/** If-None-Match (weak comparison), else If-Modified-Since, against the stored validators (RFC 9110 §13.2.2). */
export function clientNotModified(
  headers: IncomingHttpHeaders,
  etag: string | undefined,
  lastModified: string | undefined,
): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (etag === undefined) return inm.trim() === '*';
    const mine = opaque(etag);
    for (const tag of inm.split(',')) {
      const t = tag.trim();
      if (t === '*' || opaque(t) === mine) return true;
    }
    return false;
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined || lastModified === undefined) return false;
  const since = Date.parse(ims);
  const modified = Date.parse(lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && modified <= since;
}

interface ByteRange {
  start: number;
  end: number;
}

/** One satisfiable range, 'unsatisfiable', or undefined to ignore the header (multiple ranges, other units, junk). */
function parseRange(header: string, size: number): ByteRange | 'unsatisfiable' | undefined {
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (m === null) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** If-Range holds when it equals a strong ETag or the exact Last-Modified date (RFC 9110 §13.1.5). */
function ifRangeHolds(value: string, entry: CacheEntry): boolean {
  const v = value.trim();
  if (v.startsWith('"') || v.startsWith('W/'))
    return entry.etag !== undefined && !entry.etag.startsWith('W/') && v === entry.etag;
  return entry.lastModified !== undefined && v === entry.lastModified;
}

/** The stored length for a HEAD (it describes the GET), else the length of what is sent. */
export function lengthOf(entry: CacheEntry, method: string | undefined, sent: number): string {
  const stored = entry.headers['content-length'];
  return method === 'HEAD' && typeof stored === 'string' ? stored : String(sent);
}

export function serveEntry(
  request: GatewayRequest,
  reply: GatewayReply,
  entry: CacheEntry,
  cacheStatus: string,
  now: number,
): void {
  const headers = request.raw.headers;
  const method = request.raw.method;
  const own = [
    'age',
    String(Math.max(0, Math.floor(ageOf(entry, now)))),
    'cache-status',
    cacheStatus,
    'x-request-id',
    request.id,
  ];
  const head: Head = [];
  // Compression at the edge: the representation this request gets (undefined: the stored one, untouched).
  const coding = storedCoding(request.gerbang?.route?.compression, method, headers, entry);
  const etag =
    coding === undefined || entry.etag === undefined ? entry.etag : encodedEtag(entry.etag, coding);
  if (entry.status === 200 && clientNotModified(headers, etag, entry.lastModified)) {
    if (coding === undefined) pushStoredFields(head, entry.headers, NOT_MODIFIED_FIELDS);
    else pushNotModifiedFields(head, entry, coding, NOT_MODIFIED_FIELDS);
    sendStored(reply, 304, head.concat(own), undefined);
    return;
  }
  if (coding !== undefined) {
    sendStoredRepresentation(request, reply, entry, coding, own);
    return;
  }
  pushStoredFields(head, entry.headers);
  const body = entry.body;
  const range = headers.range;
  if (range !== undefined && entry.status === 200 && method === 'GET') {
    const ifRange = headers['if-range'] as string | undefined;
    if (ifRange === undefined || ifRangeHolds(ifRange, entry)) {
      const size = body.length;
      const parsed = parseRange(range, size);
      if (parsed === 'unsatisfiable') {
        head.push('content-range', `bytes */${size}`, 'content-length', '0');
        sendStored(reply, 416, head.concat(own), undefined);
        return;
      }
      if (parsed !== undefined) {
        const part = body.subarray(parsed.start, parsed.end + 1);
        head.push(
          'content-range',
          `bytes ${parsed.start}-${parsed.end}/${size}`,
          'content-length',
          String(part.length),
        );
        sendStored(reply, 206, head.concat(own), part);
        return;
      }
    }
  }
  // 1xx and 204 carry no body and so no length (RFC 9110 §8.6).
  if (entry.status !== 204) head.push('content-length', lengthOf(entry, method, body.length));
  sendStored(reply, entry.status, head.concat(own), body);
}

/** A 304 built from response fields (the client's validators matched a response that is being stored). */
export function sendNotModified(
  request: GatewayRequest,
  reply: GatewayReply,
  fields: Record<string, string | string[]>,
  cacheStatus: string,
  age: number | undefined,
): void {
  reply.code(304);
  const out: Record<string, string | string[]> = {};
  for (const name of NOT_MODIFIED_FIELDS) {
    const value = fields[name];
    if (value !== undefined) out[name] = value;
  }
  // The host's header policy, as on the 200 it stands for.
  applyResponseHeaders(request.gerbang?.route?.responseHeaders, out);
  for (const name in out) {
    const value = out[name];
    if (value !== undefined) reply.header(name, value);
  }
  if (age !== undefined) reply.header('age', age);
  reply.header('cache-status', cacheStatus).header('x-request-id', request.id);
  reply.send();
}
