/** The sink of a teed upstream body: reads ahead of the client into the cache (bounded by the object size), then feeds the client at its own pace, and ends the upstream when nobody is left to use it. */
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Writable } from 'node:stream';
import type { BodySink, UpstreamBody } from '../proxy/upstream-body.js';

/** What a stored body is handed to the client in: small enough that 'drain' (and so the idle timer) keeps pace with a slow reader. */
const CLIENT_SLICE_BYTES = 64 * 1024;

/** Bytes read from backends and not yet taken by their clients, over every fill of one cache. */
export interface ReadAheadBudget {
  used: number;
  readonly limit: number;
}

export interface CacheFillOptions {
  upstream: UpstreamBody;
  /**
   * The response being written to the client (head already written), or the compressor writing into it;
   * undefined when the client got a 304.
   */
  client: Writable | undefined;
  /** Its request: a pipelined response queued behind another has no socket yet, and only the request tells that the client left. */
  clientRequest: IncomingMessage;
  /** The largest body kept: past it nothing is stored and the client's pace applies. */
  maxBytes: number;
  /** Shared by all fills: past its limit a fill reads at its client's pace, and its waiters stop waiting. */
  budget: ReadAheadBudget;
  /** Content-Length as announced: a body of another length is not stored. */
  announced: number | undefined;
  /** The route's idle timeout: a client that takes nothing for this long is closed. */
  idleMs: number;
  /** The complete body: stored by the caller. */
  onComplete(body: Buffer): void;
  /** Stored, or known not to be: the waiters for the same key may look again. Called once. */
  onSettled(): void;
}

/**
 * Why read ahead: coalesced misses wait until the body is stored, so storing must not wait for the leader's
 * client (a client that never reads would stall every other request for the URL, and hold the upstream
 * connection). The upstream is read at its own pace up to the cache's object size, which bounds the memory
 * one request holds; the client gets the same buffers, then slices of the stored body. Past the size the
 * body is not stored, the waiters go to the backend themselves, and the upstream follows the client's pace
 * (backpressure) or is aborted when there is no client. A client gone, or idle for the route's idle
 * timeout, is closed; the upstream is aborted unless the cache still collects a storable body.
 */
export class CacheFill extends EventEmitter implements BodySink {
  readonly #o: CacheFillOptions;
  #client: Writable | undefined;
  #stored: Buffer[] = [];
  #bytes = 0;
  #over = false;
  /** Bytes the client still has to get, in order; #next is the first not yet written. */
  #queue: Buffer[] = [];
  #next = 0;
  #sentBytes = 0;
  /** Bytes queued for the client and not yet written: what this fill counts against the budget. */
  #held = 0;
  #waiting = false;
  /** write() returned false: the upstream waits for our 'drain'. */
  #blocked = false;
  #ending = false;
  #done = false;
  #settled = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #onDrain = (): void => {
    this.#waiting = false;
    this.#clearTimer();
    this.#pump();
  };
  readonly #onClose = (): void => {
    const client = this.#client;
    this.#clearTimer();
    if (client !== undefined && !client.writableFinished) this.#clientGone();
  };

  constructor(options: CacheFillOptions) {
    super();
    this.#o = options;
    // A client that left before the response head came is gone already: its 'close' will not come again.
    const client = options.client?.destroyed === true ? undefined : options.client;
    this.#client = client;
    if (client !== undefined) {
      client.on('drain', this.#onDrain);
      client.once('close', this.#onClose);
      if ((client as { socket?: unknown }).socket === null)
        options.clientRequest.once('close', this.#onClose);
    }
  }

  write(chunk: Buffer): boolean {
    if (this.#done) return true;
    if (!this.#over) {
      this.#bytes += chunk.length;
      if (this.#bytes > this.#o.maxBytes) this.#overflow();
      else this.#stored.push(chunk);
    }
    if (this.#client === undefined) return true;
    this.#queue.push(chunk);
    this.#hold(chunk.length);
    this.#pump();
    if (!this.#waiting) return true;
    // While the body may still be stored, and the budget allows, the cache reads ahead; past that, the client's
    // pace, and nobody waits for this body any more.
    if (!this.#over && this.#o.budget.used <= this.#o.budget.limit) return true;
    this.#settle();
    this.#blocked = true;
    return false;
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    const announced = this.#o.announced;
    if (!this.#over && (announced === undefined || announced === this.#bytes)) {
      // A copy: the chunks may be views of larger socket buffers, which the memory tier would not count.
      const body = Buffer.concat(this.#stored, this.#bytes);
      this.#stored = [];
      this.#o.onComplete(body);
      if (this.#client !== undefined) this.#sliceRest(body);
    }
    this.#stored = [];
    this.#settle();
    this.#ending = true;
    this.#pump();
  }

  /** The upstream failed mid-body, or was aborted: a client still reading gets a cut-off response, as on the plain path. */
  destroy(_err?: Error): void {
    if (this.#done && this.#ending) return;
    this.#done = true;
    this.#stored = [];
    this.#settle();
    const client = this.#client;
    this.#detach();
    if (client !== undefined && !client.writableFinished) client.destroy();
  }

  /** The client's remaining bytes become views of the stored body, so the collected chunks can go. */
  #sliceRest(body: Buffer): void {
    const queue: Buffer[] = [];
    for (let at = this.#sentBytes; at < body.length; at += CLIENT_SLICE_BYTES)
      queue.push(body.subarray(at, Math.min(body.length, at + CLIENT_SLICE_BYTES)));
    this.#queue = queue;
    this.#next = 0;
  }

  #overflow(): void {
    this.#over = true;
    this.#stored = [];
    this.#settle();
    // Nobody will read the rest (the client has its 304, or left): the upstream ends now.
    if (this.#client === undefined) this.#abort();
  }

  #pump(): void {
    const client = this.#client;
    if (client === undefined || this.#waiting) return;
    const queue = this.#queue;
    while (this.#next < queue.length) {
      const chunk = queue[this.#next] as Buffer;
      queue[this.#next] = EMPTY;
      this.#next += 1;
      this.#sentBytes += chunk.length;
      this.#hold(-chunk.length);
      if (!client.write(chunk)) {
        this.#wait(client);
        return;
      }
    }
    this.#queue = [];
    this.#next = 0;
    if (this.#ending) {
      this.#detach();
      client.end();
      if (!client.writableFinished) {
        // The last bytes still have to reach the client: the idle timeout covers them too.
        this.#armTimer(client);
        client.once('finish', () => this.#clearTimer());
      }
      return;
    }
    if (this.#blocked) {
      this.#blocked = false;
      this.emit('drain');
    }
  }

  #wait(client: Writable): void {
    this.#waiting = true;
    this.#armTimer(client);
  }

  #armTimer(client: Writable): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => client.destroy(), this.#o.idleMs);
    this.#timer.unref?.();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #clientGone(): void {
    this.#detach();
    if (this.#done) return;
    // While the body may still be stored the cache is its reader (bounded by the object size); past that, no one.
    if (this.#over) this.#abort();
    else if (this.#blocked) {
      this.#blocked = false;
      this.emit('drain');
    }
  }

  /** The client is no longer written to: what was queued for it goes, and with it its share of the budget. */
  #detach(): void {
    const client = this.#client;
    this.#client = undefined;
    this.#clearTimer();
    this.#queue = [];
    this.#next = 0;
    this.#hold(-this.#held);
    if (client !== undefined) client.off('drain', this.#onDrain);
  }

  #hold(bytes: number): void {
    this.#held += bytes;
    this.#o.budget.used += bytes;
  }

  #abort(): void {
    this.#o.upstream.destroy(new Error('upstream body not wanted'));
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#o.onSettled();
  }
}

const EMPTY = Buffer.alloc(0);
