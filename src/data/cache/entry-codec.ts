/** Binary form of a cache entry for the Redis tier: a length-prefixed JSON head, then the body bytes as they are. */
import type { CacheEntry } from './cache-entry.js';

type Head = Omit<CacheEntry, 'body' | 'size'> & { size: number };

export function encodeEntry(entry: CacheEntry): Buffer {
  const { body, ...head } = entry;
  const json = Buffer.from(JSON.stringify(head));
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeUInt32BE(json.length, 0);
  return Buffer.concat([prefix, json, body]);
}

/** undefined for anything that does not decode to an entry for `key` (corrupt, foreign or old data). */
export function decodeEntry(buf: Buffer, key: string): CacheEntry | undefined {
  if (buf.length < 4) return undefined;
  const length = buf.readUInt32BE(0);
  if (4 + length > buf.length) return undefined;
  let head: Head;
  try {
    head = JSON.parse(buf.subarray(4, 4 + length).toString('utf8')) as Head;
  } catch {
    return undefined;
  }
  if (head === null || typeof head !== 'object' || head.key !== key || typeof head.status !== 'number')
    return undefined;
  if (!Array.isArray(head.varyNames) || !Array.isArray(head.varyValues) || typeof head.headers !== 'object') {
    return undefined;
  }
  // JSON turns an undefined Vary value into null; the matcher compares with undefined.
  const varyValues = head.varyValues.map((v) => (v === null ? undefined : v));
  return { ...head, varyValues, body: Buffer.from(buf.subarray(4 + length)) };
}
