/** Encoded variants kept in the Redis tier beside their entry, so one instance's compression serves every instance; each is checked against the identity body it was made from. */
import { createHash } from 'node:crypto';
import type { Encoding } from '../compression/negotiate.js';
import type { SharedVariants } from '../compression/stored-variants.js';
import type { CacheEntry } from './cache-entry.js';
import type { RedisTier } from './redis-tier.js';

const VERSION = 1;
const DIGEST_BYTES = 32;
const HEAD_BYTES = 1 + DIGEST_BYTES;

/** Per identity body: its digest, made once (a variant is only looked up or stored once per coding anyway). */
const DIGESTS = new WeakMap<Buffer, Buffer>();

function digestOf(body: Buffer): Buffer {
  let d = DIGESTS.get(body);
  if (d === undefined) {
    d = createHash('sha256').update(body).digest();
    DIGESTS.set(body, d);
  }
  return d;
}

/**
 * Stored as: a version byte, the SHA-256 of the identity body, then the encoded bytes (none: the coding does not
 * pay, identity goes). Another instance may have stored a newer body under the same key since: a variant
 * whose digest is not this entry's is never served.
 */
export class RedisVariants implements SharedVariants {
  readonly #tier: RedisTier;
  readonly #maxBytes: number;

  constructor(tier: RedisTier, maxObjectBytes: number) {
    this.#tier = tier;
    this.#maxBytes = maxObjectBytes;
  }

  get(entry: CacheEntry, coding: Encoding, done: (body: Buffer | null | undefined) => void): void {
    if (!this.#tier.ready || entry.body.length > this.#maxBytes) {
      done(undefined);
      return;
    }
    this.#tier.getBeside(entry.key, coding).then(
      (buf) => {
        if (buf === undefined || buf.length < HEAD_BYTES || buf[0] !== VERSION) {
          done(undefined);
          return;
        }
        if (!buf.subarray(1, HEAD_BYTES).equals(digestOf(entry.body))) {
          done(undefined);
          return;
        }
        const encoded = buf.subarray(HEAD_BYTES);
        // An encoding no smaller than the body is never stored as bytes: anything else is not ours.
        if (encoded.length >= entry.body.length) done(undefined);
        else done(encoded.length === 0 ? null : Buffer.from(encoded));
      },
      () => done(undefined),
    );
  }

  put(entry: CacheEntry, coding: Encoding, body: Buffer | null): void {
    if (!this.#tier.ready || entry.body.length > this.#maxBytes) return;
    const head = Buffer.allocUnsafe(1);
    head[0] = VERSION;
    this.#tier.putBeside(
      entry.key,
      coding,
      Buffer.concat([head, digestOf(entry.body), body ?? Buffer.alloc(0)]),
    );
  }
}
