/** A client's request body on its way to a backend, cut when it stalls or trickles: it must not hold a backend connection at the client's pace. */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { DEFAULT_REQUEST_BODY_PREFETCH_BYTES } from '../../config/defaults.js';
import { CLIENT_ABORTED_CODE, clientFault, REQUEST_BODY_TIMEOUT_CODE } from './client-fault.js';

export interface BodyLimits {
  /** Longest wait for the client's next byte while Gerbang is ready for it. */
  idleTimeoutMs: number;
  /** Waiting allowed in all: graceMs plus 1 s per minBytesPerS bytes received; 0 turns the rate off. */
  minBytesPerS: number;
  graceMs: number;
}

function ignoreError(): void {}

/** A small lower bound on re-arming, so a check never spins on a deadline that is just about due. */
const MIN_CHECK_MS = 20;

/**
 * Pulls the client's body on demand and counts only the time spent waiting for the client, never the time the
 * backend takes to read (backpressure). Destroying this stream (undici does, when the upstream fails) leaves the
 * client's request alone, so Gerbang can still answer it.
 */
export class GuardedBody extends Readable {
  readonly #source: Readable;
  readonly #limits: BodyLimits;
  #bytes = 0;
  /** Total ms spent waiting for the client, not counting the wait now in progress. */
  #waited = 0;
  /** performance.now() since when the consumer wants data and has none; 0 when not waiting. */
  #waitingSince = 0;
  #timer: NodeJS.Timeout | undefined;
  #ended = false;
  #reading = false;
  #onReady: ((err?: Error) => void) | undefined;

  constructor(source: Readable, limits: BodyLimits) {
    super({ highWaterMark: DEFAULT_REQUEST_BODY_PREFETCH_BYTES });
    this.#source = source;
    this.#limits = limits;
    // Its errors reach prefetch's callback or undici (which listens once it has the body), never the process.
    this.on('error', ignoreError);
    // Nothing is read before the consumer asks (the 'data' listener is added by the first _read).
    source.once('end', this.#onEnd);
    source.once('error', this.#onSourceError);
    source.once('close', this.#onSourceClose);
  }

  /**
   * Reads ahead until the first DEFAULT_REQUEST_BODY_PREFETCH_BYTES (or the whole, shorter, body) are in, under
   * the same limits; `done` gets the error when the body is cut or its client leaves first.
   */
  prefetch(done: (err?: Error) => void): void {
    this.#onReady = done;
    this.read(0);
  }

  #ready(err?: Error): void {
    const done = this.#onReady;
    this.#onReady = undefined;
    done?.(err);
  }

  override _read(): void {
    if (this.#ended) return;
    if (this.#waitingSince === 0) this.#waitingSince = performance.now();
    this.#arm();
    if (!this.#reading) {
      this.#reading = true;
      this.#source.on('data', this.#onData);
      // A body already read to its end by someone else has nothing more to give.
      if (this.#source.readableEnded) this.#onEnd();
    }
    this.#source.resume();
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.#finish();
    this.#ready(err ?? clientFault('request body abandoned', CLIENT_ABORTED_CODE));
    // The rest of the client's body stays unread; its connection is closed after Gerbang's answer.
    this.#source.pause();
    callback(err);
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#bytes += chunk.length;
    if (this.#waitingSince !== 0) {
      this.#waited += performance.now() - this.#waitingSince;
      this.#waitingSince = 0;
    }
    if (!this.push(chunk)) {
      this.#source.pause();
      this.#ready();
    }
  };

  readonly #onEnd = (): void => {
    this.#finish();
    this.push(null);
    this.#ready();
  };

  readonly #onSourceError = (err: Error): void => {
    this.destroy(clientFault(`client request failed: ${err.message}`, CLIENT_ABORTED_CODE));
  };

  readonly #onSourceClose = (): void => {
    if (!this.#ended) this.destroy(clientFault('the client went away mid-body', CLIENT_ABORTED_CODE));
  };

  #finish(): void {
    this.#ended = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const source = this.#source;
    source.off('data', this.#onData);
    source.off('end', this.#onEnd);
    source.off('error', this.#onSourceError);
    source.off('close', this.#onSourceClose);
  }

  /** Waiting this body may still do before it is cut, given what it has sent so far. */
  #allowedMs(): number {
    const { minBytesPerS, graceMs } = this.#limits;
    return minBytesPerS > 0 ? graceMs + (this.#bytes / minBytesPerS) * 1000 : Number.POSITIVE_INFINITY;
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const waitingFor = this.#waitingSince === 0 ? 0 : performance.now() - this.#waitingSince;
    const due = Math.min(
      this.#limits.idleTimeoutMs - waitingFor,
      this.#allowedMs() - this.#waited - waitingFor,
    );
    this.#timer = setTimeout(this.#check, Math.max(due, MIN_CHECK_MS));
    this.#timer.unref();
  }

  readonly #check = (): void => {
    this.#timer = undefined;
    // Not waiting (the backend is the slow side, or data keeps coming): the next _read re-arms.
    if (this.#ended || this.#waitingSince === 0) return;
    const waitingFor = performance.now() - this.#waitingSince;
    if (waitingFor >= this.#limits.idleTimeoutMs) {
      this.destroy(
        clientFault(`no request body byte for ${Math.round(waitingFor)} ms`, REQUEST_BODY_TIMEOUT_CODE),
      );
      return;
    }
    if (this.#waited + waitingFor >= this.#allowedMs()) {
      this.destroy(
        clientFault(
          `request body below ${this.#limits.minBytesPerS} B/s (${this.#bytes} bytes)`,
          REQUEST_BODY_TIMEOUT_CODE,
        ),
      );
      return;
    }
    this.#arm();
  };
}
