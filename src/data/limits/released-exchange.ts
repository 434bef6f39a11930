/** A dispatch handler that gives back a client's slot (limits.maxBackendRequestsPerClient) when its upstream exchange ends, however it ends. */
import type { Dispatcher } from 'undici';
import type { KeyCounter } from './key-counter.js';

type LegacyHandler = Required<
  Pick<Dispatcher.DispatchHandler, 'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError'>
>;

export class ReleasedExchange implements Dispatcher.DispatchHandler {
  #counter: KeyCounter | undefined;

  constructor(
    private readonly inner: LegacyHandler,
    counter: KeyCounter,
    private readonly key: string,
  ) {
    this.#counter = counter;
  }

  /** Once only: undici ends an exchange with onComplete or onError, and a sync dispatch failure ends it too. */
  release(): void {
    const counter = this.#counter;
    this.#counter = undefined;
    counter?.release(this.key);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.inner.onConnect(abort);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    return this.inner.onHeaders(statusCode, rawHeaders, resume, statusText);
  }

  onData(chunk: Buffer): boolean {
    return this.inner.onData(chunk);
  }

  onComplete(trailers: string[] | null): void {
    this.release();
    this.inner.onComplete(trailers);
  }

  onError(err: Error): void {
    this.release();
    this.inner.onError(err);
  }
}
