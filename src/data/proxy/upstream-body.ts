/** One upstream exchange on undici's dispatch API: the response body goes straight to its consumer, no stream objects in between. */
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { parseWithoutHopByHop } from './hop-by-hop.js';

/** An upstream response head and its body; hop-by-hop fields are already gone. */
export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  stream: UpstreamBody;
}

/** Where a body is streamed: a Writable, or anything that keeps its write / 'drain' / end / destroy contract (the cache's fill). */
export interface BodySink {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
  end(): unknown;
  destroy(err?: Error): unknown;
}

/** Either the failure before any response, or the response: checking `err` narrows `response`. */
export type UpstreamCallback = (
  ...args: [err: Error, response: undefined] | [err: null, response: UpstreamResponse]
) => void;

/** Told once how the exchange began: a method on a per-request object, so the proxied path allocates no callback. */
export interface UpstreamReceiver {
  upstreamResponded: UpstreamCallback;
  /** A 103 Early Hints came ahead of the final response (raw head, hop-by-hop fields included); absent = dropped. */
  upstreamEarlyHints?(rawHeaders: Buffer[]): void;
  /** The exchange is on its way: what a receiver destroys to abort it before any answer (its client left). */
  upstreamStarted?(body: UpstreamBody): void;
}

/**
 * The response body of one upstream request. undici's own `request()` wraps every body in a Readable
 * (and fastify then pipes that into the response): at proxy rates those stream objects, their ticks and
 * listeners are a large share of a request's cost. Here undici's dispatch callbacks write into the
 * consumer directly, with backpressure both ways: a consumer that is full pauses the upstream socket.
 */
export class UpstreamBody implements Dispatcher.DispatchHandler {
  #receiver: UpstreamReceiver | undefined;
  #abort: ((err?: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #sink: BodySink | undefined;
  /** Chunks that came before a consumer attached (the consumer usually attaches within onHeaders). */
  #pending: Buffer[] | undefined;
  #ended = false;
  #error: Error | undefined;
  #discard = false;
  /** How long the consumer may refuse more (no 'drain') before the exchange is cut; 0 = no limit. */
  #stallMs = 0;
  #stallTimer: NodeJS.Timeout | undefined;
  readonly #onDrain = (): void => {
    if (this.#stallTimer !== undefined) {
      clearTimeout(this.#stallTimer);
      this.#stallTimer = undefined;
    }
    this.#resume?.();
  };
  /**
   * A paused upstream socket never reaches undici's body timeout, so a client that stops reading would hold the
   * backend connection for as long as it keeps its own socket open: the stall is what is timed.
   */
  readonly #onStall = (): void => {
    this.#stallTimer = undefined;
    const err = new Error(`the client read nothing for ${this.#stallMs} ms`);
    this.destroy(err);
    this.#sink?.destroy(err);
  };

  constructor(receiver: UpstreamReceiver) {
    this.#receiver = receiver;
    receiver.upstreamStarted?.(this);
  }

  /**
   * Streams the body into `sink` and ends it; an upstream failure mid-body destroys it. With `stallMs`, a sink that
   * takes nothing for that long (its buffer full, no 'drain') ends the exchange and is destroyed.
   */
  pipe(sink: BodySink, stallMs = 0): void {
    this.#sink = sink;
    this.#stallMs = stallMs;
    const pending = this.#pending;
    this.#pending = undefined;
    if (pending !== undefined) for (const chunk of pending) sink.write(chunk);
    if (this.#error !== undefined) sink.destroy(this.#error);
    else if (this.#ended) sink.end();
    else this.#resume?.();
  }

  /** The body as a Readable, for consumers that need one (the cache's tee, reply.send). */
  readable(): Readable {
    const out = new PassThrough();
    // A consumer that destroys the stream will never drain it: the upstream would stay paused for good.
    out.once('close', () => this.destroy());
    this.pipe(out);
    return out;
  }

  /** Reads the body to its end and drops it, so the upstream connection is reused. */
  resume(): void {
    this.#discard = true;
    this.#pending = undefined;
    this.#resume?.();
  }

  /** Aborts the upstream request (the client went away, or the body is not wanted). */
  destroy(err?: Error): void {
    this.#clearStall();
    if (this.#ended || this.#error !== undefined) return;
    this.#error = err ?? new Error('upstream body destroyed');
    this.#abort?.(this.#error);
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.#error !== undefined) abort(this.#error);
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // Interim responses: a 103 goes to a receiver that takes it (early-hints.ts), 100 and 102 stay here; the final
    // one follows on the same exchange.
    if (statusCode < 200) {
      if (statusCode === 103) this.#receiver?.upstreamEarlyHints?.(rawHeaders);
      return true;
    }
    this.#resume = resume;
    const receiver = this.#receiver;
    this.#receiver = undefined;
    receiver?.upstreamResponded(null, {
      statusCode,
      headers: parseWithoutHopByHop(rawHeaders),
      stream: this,
    });
    return this.#sink === undefined ? this.#discard : true;
  }

  onData(chunk: Buffer): boolean {
    const sink = this.#sink;
    if (sink !== undefined) {
      if (sink.write(chunk)) return true;
      sink.once('drain', this.#onDrain);
      if (this.#stallMs > 0 && this.#stallTimer === undefined)
        this.#stallTimer = setTimeout(this.#onStall, this.#stallMs);
      return false;
    }
    if (this.#discard) return true;
    if (this.#pending === undefined) this.#pending = [chunk];
    else this.#pending.push(chunk);
    // Nobody reads yet: pause the upstream until pipe() or resume().
    return false;
  }

  onComplete(): void {
    this.#ended = true;
    this.#clearStall();
    this.#sink?.end();
  }

  #clearStall(): void {
    if (this.#stallTimer === undefined) return;
    clearTimeout(this.#stallTimer);
    this.#stallTimer = undefined;
  }

  onError(err: Error): void {
    const receiver = this.#receiver;
    if (receiver !== undefined) {
      this.#receiver = undefined;
      receiver.upstreamResponded(err, undefined);
      return;
    }
    this.#clearStall();
    if (this.#ended) return;
    this.#error = err;
    this.#sink?.destroy(err);
  }
}
