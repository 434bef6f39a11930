/**
 * A copy of a body as it streams: its first half-budget and its last half-budget of bytes, never more than the
 * budget; or, for a compressed body (only its beginning can be decoded), its first budget of bytes.
 */

export class BoundedCopy {
  readonly #half: number;
  readonly #head: Buffer[] = [];
  #headBytes = 0;
  /** The latest chunks after the head filled; trimmed from the front to the half budget. */
  #tail: Buffer[] = [];
  #tailBytes = 0;
  #total = 0;

  readonly #withTail: boolean;

  constructor(maxBytes: number, withTail = true) {
    this.#withTail = withTail;
    this.#half = withTail ? Math.max(1, Math.floor(maxBytes / 2)) : maxBytes;
  }

  /** Bytes seen so far (kept or not). */
  get total(): number {
    return this.#total;
  }

  add(chunk: Buffer): void {
    this.#total += chunk.length;
    let rest = chunk;
    if (this.#headBytes < this.#half) {
      const take = Math.min(this.#half - this.#headBytes, rest.length);
      // Copied: the body's own buffers go on to the client and may be pooled.
      this.#head.push(Buffer.from(rest.subarray(0, take)));
      this.#headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || !this.#withTail) return;
    if (rest.length >= this.#half) {
      this.#tail = [Buffer.from(rest.subarray(rest.length - this.#half))];
      this.#tailBytes = this.#half;
      return;
    }
    this.#tail.push(Buffer.from(rest));
    this.#tailBytes += rest.length;
    while (this.#tailBytes > this.#half) {
      const first = this.#tail[0] as Buffer;
      const over = this.#tailBytes - this.#half;
      if (first.length <= over) {
        this.#tail.shift();
        this.#tailBytes -= first.length;
      } else {
        this.#tail[0] = first.subarray(over);
        this.#tailBytes -= over;
      }
    }
  }

  /** The kept bytes, head then tail (a gap between them when the body was longer than the budget). */
  bytes(): Buffer {
    return Buffer.concat([...this.#head, ...this.#tail]);
  }

  /** The beginning of a whole compressed body already in memory: what a decoder can start from. */
  static head(body: Buffer, maxBytes: number): Buffer {
    return body.length <= maxBytes ? body : body.subarray(0, maxBytes);
  }

  /** The same cut of a whole body already in memory (a cache fill): no copy when it fits. */
  static of(body: Buffer, maxBytes: number): Buffer {
    if (body.length <= maxBytes) return body;
    const half = Math.max(1, Math.floor(maxBytes / 2));
    return Buffer.concat([body.subarray(0, half), body.subarray(body.length - half)]);
  }
}
