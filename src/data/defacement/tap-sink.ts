/** A body sink that passes everything on to the real one and keeps a bounded copy for the defacement check. */
import type { BodySink } from '../proxy/upstream-body.js';
import type { BoundedCopy } from './bounded-copy.js';

export class TapSink implements BodySink {
  readonly #inner: BodySink;
  readonly #copy: BoundedCopy;
  readonly #onEnd: () => void;
  #failed = false;

  constructor(inner: BodySink, copy: BoundedCopy, onEnd: () => void) {
    this.#inner = inner;
    this.#copy = copy;
    this.#onEnd = onEnd;
  }

  write(chunk: Buffer): boolean {
    this.#copy.add(chunk);
    return this.#inner.write(chunk);
  }

  once(event: 'drain', listener: () => void): this {
    this.#inner.once(event, listener);
    return this;
  }

  end(): void {
    this.#inner.end();
    // Only a whole page is checked: a cut one would be half a page's evidence.
    if (!this.#failed) this.#onEnd();
  }

  destroy(err?: Error): void {
    this.#failed = true;
    this.#inner.destroy(err);
  }
}
