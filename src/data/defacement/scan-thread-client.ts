/** The request side of the checks' thread: started on the first page, one reply per page, pages in flight counted. */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DefacementRuleConfig } from '../../config/defacement-config.js';
import type { PageCoding } from './decode-page.js';
import type { RuleMatch } from './scan-page.js';
import type { ScanReply, ScanRequest } from './scan-thread.js';

/** The thread's module next to this one: .ts when run from source (tsx), .js when built. */
const ENTRY = new URL(
  fileURLToPath(import.meta.url).endsWith('.ts') ? './scan-thread.ts' : './scan-thread.js',
  import.meta.url,
);

/** The matches and the bytes of HTML checked; undefined matches when the page was lost (with why). */
export type ScanDone = (matches: RuleMatch[] | undefined, bytes: number, error?: string) => void;

export class ScanThreadClient {
  readonly #rules: readonly DefacementRuleConfig[];
  readonly #maxBytes: number;
  #worker: Worker | undefined;
  readonly #pending = new Map<number, ScanDone>();
  #nextId = 0;
  #closed = false;

  constructor(rules: readonly DefacementRuleConfig[], maxBytes: number) {
    this.#rules = rules;
    this.#maxBytes = maxBytes;
  }

  /** Pages handed over and not answered yet. */
  get inFlight(): number {
    return this.#pending.size;
  }

  /** Hands a page over (a copy of `body` crosses); `done` is told its matches, or undefined when it was lost. */
  scan(host: string, body: Buffer, coding: PageCoding | undefined, done: ScanDone): void {
    if (this.#closed) {
      done(undefined, 0, 'closed');
      return;
    }
    const worker = this.#start();
    const id = ++this.#nextId;
    this.#pending.set(id, done);
    // An exact copy, moved over: a view is cloned with its whole backing buffer (a pool, a whole cached body).
    const bytes = new Uint8Array(body.byteLength);
    bytes.set(body);
    const request: ScanRequest = {
      id,
      host,
      body: bytes,
      maxBytes: this.#maxBytes,
      ...(coding ? { coding } : {}),
    };
    worker.postMessage(request, [bytes.buffer]);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#fail('closed');
    await worker?.terminate();
  }

  /**
   * Starts the thread now (the watch does at startup): its descriptors and memory are then part of the data
   * plane's baseline, not a step in the middle of the traffic. A thread lost later is started again by the next page.
   */
  start(): void {
    if (!this.#closed) this.#start();
  }

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(ENTRY, { workerData: { rules: this.#rules } });
    // The checks never keep a stopping process alive.
    worker.unref();
    worker.on('message', (reply: ScanReply) => {
      const done = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      done?.(reply.error === undefined ? reply.matches : undefined, reply.bytes, reply.error);
    });
    const lost = (why: string) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#fail(why);
    };
    worker.on('error', (err) => lost(err.message));
    worker.on('exit', (code) => lost(`check thread exited (${code})`));
    this.#worker = worker;
    return worker;
  }

  #fail(why: string): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const done of pending) done(undefined, 0, why);
  }
}
