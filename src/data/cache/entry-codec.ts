/** Binary form of a cache entry for the Redis tier: a length-prefixed JSON head, then the body bytes as they are; what comes back is checked before it can be served. */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { Type } from '@sinclair/typebox';
import { compileValidator } from '../../model/validate.js';
import type { CacheEntry, StoredHeaders } from './cache-entry.js';

const nonNegative = Type.Number({ minimum: 0 });
const optionalText = Type.Optional(Type.Union([Type.String(), Type.Null()]));

/** The JSON head as encodeEntry writes it (undefined fields are left out by JSON, Vary values become null). */
const HEAD = compileValidator(
  Type.Object({
    key: Type.String(),
    hostName: Type.String(),
    hostLabel: Type.String(),
    url: Type.String(),
    status: Type.Integer({ minimum: 200, maximum: 599 }),
    headers: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
    varyNames: Type.Array(Type.String()),
    varyValues: Type.Array(Type.Union([Type.String(), Type.Null()])),
    responseTime: nonNegative,
    initialAge: nonNegative,
    lifetime: nonNegative,
    swr: nonNegative,
    sie: nonNegative,
    noStale: Type.Boolean(),
    etag: optionalText,
    lastModified: optionalText,
  }),
);

export function encodeEntry(entry: CacheEntry): Buffer {
  // Encoded variants stay in the worker that made them: each instance compresses once from the identity body.
  const { body, size: _size, encoded: _encoded, ...head } = entry;
  const json = Buffer.from(JSON.stringify(head));
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32BE(json.length, 0);
  return Buffer.concat([prefix, json, body]);
}

/** Every stored field is one Node would write: a bad one would otherwise throw while a reply is being written. */
function writableHeaders(headers: StoredHeaders): boolean {
  try {
    for (const name in headers) {
      validateHeaderName(name);
      const value = headers[name] as string | string[];
      for (const v of typeof value === 'string' ? [value] : value) validateHeaderValue(name, v);
    }
    return true;
  } catch {
    return false;
  }
}

/** Set-Cookie is never stored (storability.ts): an entry with it, in any spelling, was written by something else. */
function carriesCookie(headers: StoredHeaders): boolean {
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie' || lower === 'set-cookie2') return true;
  }
  return false;
}

/** undefined for anything that does not decode to an entry for `key` (corrupt, foreign, old or tampered data). */
export function decodeEntry(buf: Buffer, key: string): CacheEntry | undefined {
  if (buf.length < 4) return undefined;
  const length = buf.readUInt32BE(0);
  if (4 + length > buf.length) return undefined;
  let head: unknown;
  try {
    head = JSON.parse(buf.subarray(4, 4 + length).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!HEAD.check(head) || head.key !== key || head.varyNames.length !== head.varyValues.length)
    return undefined;
  if (!writableHeaders(head.headers) || carriesCookie(head.headers)) return undefined;
  const body = Buffer.from(buf.subarray(4 + length));
  return {
    ...head,
    // JSON turns an undefined value into null or drops it; the cache compares with undefined.
    varyValues: head.varyValues.map((v) => v ?? undefined),
    etag: head.etag ?? undefined,
    lastModified: head.lastModified ?? undefined,
    body,
    encoded: undefined,
    // The memory tier's estimate, as cache-entry.ts makes it, from what arrived rather than from what it claims.
    size: body.length + length + 256,
  };
}
