/** Encoded variants of a stored response: compressed once per coding from the stored identity body, then served as stored bytes. */
import type { IncomingHttpHeaders } from 'node:http';
import type { CacheEntry, StoredHeaders } from '../cache/cache-entry.js';
import { GERBANG_CACHE_CONTROL } from '../cache/targeted-cache-control.js';
import type { CompressionMeter } from './compression-meter.js';
import type { CompressionPlan } from './compression-plan.js';
import { mayCompress } from './eligibility.js';
import { encodeBody } from './encoders.js';
import { encodedEtag } from './etag.js';
import { type Coding, type Encoding, negotiate } from './negotiate.js';
import { withAcceptEncoding } from './vary.js';

/** Per entry: the encoded bodies (null: that coding does not make it smaller, identity is sent) and the hits waiting for one. */
export interface EncodedVariants {
  readonly bodies: Map<Encoding, Buffer | null>;
  readonly waiting: Map<Encoding, ((body: Buffer | null) => void)[]>;
  /** Bytes of the bodies: the memory tier counts them with the entry. */
  bytes: number;
}

/** How a stored response is sent to this request: undefined when it goes as stored, untouched (no Vary added); identity (with Vary) for a HEAD. */
export function storedCoding(
  plan: CompressionPlan | undefined,
  method: string | undefined,
  requestHeaders: IncomingHttpHeaders,
  entry: CacheEntry,
): Coding | undefined {
  if (plan === undefined) return undefined;
  const head = method === 'HEAD';
  const eligible = mayCompress({
    status: entry.status,
    method: head ? 'GET' : method,
    requestHeaders,
    headers: entry.headers,
    length: entry.body.length,
    minBytes: plan.minBytes,
  });
  if (!eligible) return undefined;
  // A HEAD has no body to encode, but a cache holding its answer must still know it varies as the GET's does.
  return head ? 'identity' : negotiate(requestHeaders['accept-encoding']);
}

/** The stored body in this coding if it is stored already; null when the coding does not pay (identity goes); undefined when not made yet. */
export function storedVariant(entry: CacheEntry, coding: Encoding): Buffer | null | undefined {
  return entry.encoded?.bodies.get(coding);
}

/** Variants another instance made (the cache's Redis tier): one compression per coding for the whole cluster. */
export interface SharedVariants {
  /** Its bytes, null (that coding does not pay), or undefined (none stored, or not for this body): within the tier's budget. */
  get(entry: CacheEntry, coding: Encoding, done: (body: Buffer | null | undefined) => void): void;
  put(entry: CacheEntry, coding: Encoding, body: Buffer | null): void;
}

export interface MakeVariant {
  entry: CacheEntry;
  coding: Encoding;
  plan: CompressionPlan;
  meter: CompressionMeter | undefined;
  host: string;
}

/**
 * Compresses the stored body once (on the thread pool) and keeps the result beside it; hits that ask for the same
 * coding meanwhile wait for that one run. A result no smaller than the body is remembered as null: identity goes.
 * With a shared tier, a variant another instance made is taken from there first, and one made here is put there.
 */
export function makeVariant(m: MakeVariant, done: (body: Buffer | null) => void): void {
  const { entry, coding } = m;
  let variants = entry.encoded;
  if (variants === undefined) {
    variants = { bodies: new Map(), waiting: new Map(), bytes: 0 };
    entry.encoded = variants;
  }
  const known = variants.bodies.get(coding);
  if (known !== undefined) {
    done(known);
    return;
  }
  const waiting = variants.waiting.get(coding);
  if (waiting !== undefined) {
    waiting.push(done);
    return;
  }
  const list = [done];
  const v = variants;
  v.waiting.set(coding, list);
  const keep = (body: Buffer | null): void => {
    v.waiting.delete(coding);
    v.bodies.set(coding, body);
    if (body !== null) {
      v.bytes += body.length;
      m.meter?.variantStored(entry);
    }
    for (const cb of list) cb(body);
  };
  const shared = m.meter?.shared;
  const compress = (): void => {
    m.meter?.slots(m.host, coding).stored.inc();
    encodeBody(coding, m.plan.levels, entry.body, (err, out) => {
      const body = err === null && out.length < entry.body.length ? out : null;
      keep(body);
      if (err === null) shared?.put(entry, coding, body);
    });
  };
  if (shared === undefined) compress();
  else shared.get(entry, coding, (found) => (found === undefined ? compress() : keep(found)));
}

/** Stored fields that describe the identity bytes and so change with the coding. */
const REPLACED = new Set(['content-length', 'etag', 'vary', 'content-encoding', GERBANG_CACHE_CONTROL]);

/** Per stored header object (a 304 refresh replaces it): the head of each representation, built once. */
const HEADS = new WeakMap<StoredHeaders, Map<Coding, string[]>>();

/**
 * The stored fields as a head for the representation in `coding`: Vary with Accept-Encoding, the ETag for the
 * coding, Content-Encoding (no Content-Length: the reply adds the length it sends). A shared list: copy it.
 */
export function representationHead(fields: StoredHeaders, coding: Coding): string[] {
  let byCoding = HEADS.get(fields);
  if (byCoding === undefined) {
    byCoding = new Map();
    HEADS.set(fields, byCoding);
  }
  let head = byCoding.get(coding);
  if (head !== undefined) return head;
  head = [];
  for (const name of Object.keys(fields)) {
    if (REPLACED.has(name)) continue;
    const value = fields[name];
    if (value === undefined) continue;
    if (typeof value === 'string') head.push(name, value);
    else for (const v of value) head.push(name, v);
  }
  head.push('vary', withAcceptEncoding(fields.vary));
  const etag = fields.etag;
  const tag = Array.isArray(etag) ? etag[0] : etag;
  if (tag !== undefined) head.push('etag', encodedEtag(tag, coding));
  if (coding !== 'identity') head.push('content-encoding', coding);
  byCoding.set(coding, head);
  return head;
}
