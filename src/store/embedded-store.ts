/** The default store: everything in memory; each write appended to a fsynced journal, folded now and then into one state file by atomic write-then-rename. */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_STORE_JOURNAL_COMPACT_BYTES } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { isNamespace } from './namespaces.js';
import {
  appendJournal,
  encodeOps,
  JOURNAL_FILE_NAME,
  type JournalOp,
  readJournal,
  removeJournal,
  syncDir,
} from './state-journal.js';
import type { Lock, Namespace, Store, StoreEvents, StoreState } from './store.js';
import { StoreEmitter } from './store-emitter.js';

export const STATE_FILE_NAME = 'store.json';
const FORMAT_VERSION = 1;

export interface EmbeddedStoreOptions {
  /** Directory of the state file; created with mode 0700 when missing. */
  stateDir: string;
  logger: Logger;
  /** Smallest journal that is folded into the state file (it also waits until the journal is as big as the file). */
  compactBytes?: number;
}

interface Waiter {
  gen: number;
  op: JournalOp;
  resolve(existed: boolean): void;
  reject(err: Error): void;
}

interface HeldLock {
  token: string;
  /** On the monotonic clock, so a wall-clock jump cannot free or pin a lock. */
  expiresAt: number;
}

export class EmbeddedStore implements Store {
  readonly kind = 'embedded';
  readonly state: StoreState = 'connected';

  readonly #dir: string;
  readonly #file: string;
  readonly #tmp: string;
  readonly #journal: string;
  readonly #compactBytes: number;
  readonly #logger: Logger;
  readonly #events: StoreEmitter;
  readonly #data = new Map<Namespace, Map<string, string>>();
  /** Namespaces this version does not know (a newer Gerbang wrote them): written back untouched. */
  #foreign: Record<string, unknown> = {};
  #phase: 'new' | 'started' | 'closed' = 'new';

  #changeGen = 0;
  #queue: Waiter[] = [];
  /** The newest queued, not yet durable value per key: what a delete checks, so put-then-delete keeps its order. */
  readonly #pending = new Map<string, { gen: number; value: string | null }>();
  #draining = false;
  #flushing: Promise<void> = Promise.resolve();
  #flushCount = 0;
  #compactions = 0;
  #stateBytes = 0;
  #journalBytes = 0;
  /** A failed append may have left a partial line: the next write compacts first. */
  #journalSuspect = false;

  readonly #locks = new Map<string, HeldLock>();
  readonly #fences = new Map<string, number>();

  constructor(options: EmbeddedStoreOptions) {
    this.#dir = options.stateDir;
    this.#file = join(options.stateDir, STATE_FILE_NAME);
    this.#tmp = `${this.#file}.tmp`;
    this.#journal = join(options.stateDir, JOURNAL_FILE_NAME);
    this.#compactBytes = options.compactBytes ?? DEFAULT_STORE_JOURNAL_COMPACT_BYTES;
    this.#logger = options.logger.child({ component: 'store', store: 'embedded' });
    this.#events = new StoreEmitter(this.#logger);
  }

  /** How many journal appends (each one fsync) writes have taken: shows that concurrent writes share them. */
  get flushCount(): number {
    return this.#flushCount;
  }

  /** How many times the whole state file has been rewritten since start. */
  get compactions(): number {
    return this.#compactions;
  }

  async start(): Promise<void> {
    if (this.#phase !== 'new') throw new GerbangError('INTERNAL', 'embedded store started twice');
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    // A leftover temp file is a flush that crashed before its rename; the state file itself is intact.
    await rm(this.#tmp, { force: true });
    await this.#load();
    await this.#replayJournal();
    this.#phase = 'started';
  }

  async close(): Promise<void> {
    if (this.#phase !== 'started') {
      this.#phase = 'closed';
      return;
    }
    await this.#flushing;
    this.#phase = 'closed';
    // A write that arrived while the last batch was on its way is still let through.
    await this.#flushing;
    // Leave one file at rest; a failure only means the next start replays the journal.
    if (this.#journalBytes > 0 || this.#journalSuspect) {
      await this.#compact().catch((err: unknown) =>
        this.#logger.warn({ err: messageOf(err), file: this.#file }, 'state file compaction at close failed'),
      );
    }
  }

  async get(ns: Namespace, id: string): Promise<string | undefined> {
    this.#assertOpen();
    return this.#data.get(ns)?.get(id);
  }

  async getAll(ns: Namespace): Promise<Map<string, string>> {
    this.#assertOpen();
    return new Map(this.#data.get(ns));
  }

  /** Resolves once the value is on disk; only then is it visible and announced. A refused write leaves no trace. */
  async put(ns: Namespace, id: string, value: string): Promise<void> {
    this.#assertOpen();
    await this.#commit({ ns, id, value });
  }

  async delete(ns: Namespace, id: string): Promise<boolean> {
    this.#assertOpen();
    const pending = this.#pending.get(pendingKey(ns, id));
    const exists = pending ? pending.value !== null : this.#data.get(ns)?.has(id) === true;
    if (!exists) return false;
    return this.#commit({ ns, id, value: null });
  }

  /** Read-modify-write on one JSON record, based on the newest queued value: increments queued back to back add up. */
  async addCounters(group: string, record: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    this.#assertOpen();
    const id = counterId(group, record);
    const pending = this.#pending.get(pendingKey('counters', id));
    const current = pending ? pending.value : this.#data.get('counters')?.get(id);
    const counters = parseCounters(current ?? undefined);
    for (const [field, delta] of Object.entries(deltas)) {
      if (!Number.isSafeInteger(delta))
        throw new GerbangError('INTERNAL', `counter ${field}: ${delta} is not an integer`);
      counters[field] = (counters[field] ?? 0) + delta;
    }
    await this.#commit({ ns: 'counters', id, value: JSON.stringify(counters) });
  }

  async deleteCounters(group: string): Promise<boolean> {
    this.#assertOpen();
    const prefix = counterId(group, '');
    const ids = [...(this.#data.get('counters')?.keys() ?? [])].filter((id) => id.startsWith(prefix));
    await Promise.all(ids.map((id) => this.#commit({ ns: 'counters', id, value: null })));
    return ids.length > 0;
  }

  async readCounters(group: string): Promise<Map<string, Record<string, number>>> {
    this.#assertOpen();
    const prefix = counterId(group, '');
    const records = new Map<string, Record<string, number>>();
    for (const [id, value] of this.#data.get('counters') ?? []) {
      if (id.startsWith(prefix)) records.set(id.slice(prefix.length), parseCounters(value));
    }
    return records;
  }

  async tryLock(name: string, ttlMs: number): Promise<Lock | undefined> {
    this.#assertOpen();
    if (!(ttlMs > 0)) throw new GerbangError('INTERNAL', `lock ttl must be positive, got ${ttlMs}`);
    const now = performance.now();
    const held = this.#locks.get(name);
    if (held && held.expiresAt > now) return undefined;
    const fence = (this.#fences.get(name) ?? 0) + 1;
    this.#fences.set(name, fence);
    const token = randomUUID();
    this.#locks.set(name, { token, expiresAt: now + ttlMs });
    return {
      fence,
      release: async () => {
        // Only our own acquisition: after expiry someone else may hold the name.
        if (this.#locks.get(name)?.token === token) this.#locks.delete(name);
      },
    };
  }

  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.#events.on(event, listener);
  }

  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.#events.off(event, listener);
  }

  #assertOpen(): void {
    if (this.#phase !== 'started') {
      throw new GerbangError(
        'STORE_UNAVAILABLE',
        `embedded store is ${this.#phase === 'new' ? 'not started' : 'closed'}`,
      );
    }
  }

  #namespace(ns: Namespace): Map<string, string> {
    let map = this.#data.get(ns);
    if (!map) {
      map = new Map();
      this.#data.set(ns, map);
    }
    return map;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        this.#logger.info({ file: this.#file }, 'no state file yet; starting with an empty store');
        return;
      }
      throw new GerbangError('STORE_UNAVAILABLE', `cannot read state file ${this.#file}: ${messageOf(err)}`);
    }

    this.#stateBytes = Buffer.byteLength(text);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      await this.#keepAside(`invalid JSON: ${messageOf(err)}`);
      return;
    }
    if (!isRecord(parsed) || !isRecord(parsed.namespaces)) {
      await this.#keepAside('not a Gerbang state file (no "namespaces" object)');
      return;
    }
    if (parsed.version !== FORMAT_VERSION) {
      // Refuse rather than rewrite: a newer format must not be downgraded by an older gateway.
      throw new GerbangError(
        'STATE_CORRUPT',
        `state file ${this.#file} has format version ${String(parsed.version)}; this Gerbang reads version ${FORMAT_VERSION}`,
      );
    }

    let skipped = 0;
    let loaded = 0;
    for (const [ns, entries] of Object.entries(parsed.namespaces)) {
      if (!isNamespace(ns)) {
        this.#foreign[ns] = entries;
        this.#logger.warn({ ns }, 'state file has a namespace this version does not know; keeping it as is');
        continue;
      }
      if (!isRecord(entries)) {
        skipped++;
        this.#logger.error({ ns, code: 'STATE_CORRUPT' }, 'state file namespace is not an object; skipped');
        continue;
      }
      const map = this.#namespace(ns);
      for (const [id, value] of Object.entries(entries)) {
        if (typeof value !== 'string') {
          skipped++;
          this.#logger.error(
            { ns, id, type: value === null ? 'null' : typeof value, code: 'STATE_CORRUPT' },
            'state file entry is not a string; skipped',
          );
          continue;
        }
        map.set(id, value);
        loaded++;
      }
    }
    if (skipped > 0) {
      // The next flush drops what we skipped; keep the original so nothing is lost without a trace.
      const copy = `${this.#file}.corrupt-${fileStamp()}`;
      await copyFile(this.#file, copy);
      this.#logger.error(
        { file: this.#file, keptAs: copy, skipped },
        'state file had bad entries; original copied aside',
      );
    }
    this.#logger.info({ file: this.#file, entries: loaded }, 'state file loaded');
  }

  /** Writes acknowledged since the last compaction; a torn last line is a write that was never acknowledged. */
  async #replayJournal(): Promise<void> {
    let read: Awaited<ReturnType<typeof readJournal>>;
    try {
      read = await readJournal(this.#journal);
    } catch (err) {
      throw new GerbangError(
        'STORE_UNAVAILABLE',
        `cannot read state journal ${this.#journal}: ${messageOf(err)}`,
      );
    }
    for (const op of read.ops) {
      if (op.value === null) this.#data.get(op.ns)?.delete(op.id);
      else this.#namespace(op.ns).set(op.id, op.value);
    }
    this.#journalBytes = read.bytes;
    if (read.skipped > 0) {
      const copy = `${this.#journal}.corrupt-${fileStamp()}`;
      await copyFile(this.#journal, copy);
      this.#journalSuspect = true;
      this.#logger.error(
        { file: this.#journal, keptAs: copy, skipped: read.skipped, code: 'STATE_CORRUPT' },
        'state journal had lines that are not writes (a crash mid-append?); skipped, original copied aside',
      );
    }
    if (read.ops.length > 0) {
      this.#logger.info({ file: this.#journal, writes: read.ops.length }, 'state journal replayed');
    }
  }

  async #keepAside(reason: string): Promise<void> {
    const aside = `${this.#file}.corrupt-${fileStamp()}`;
    await rename(this.#file, aside);
    this.#logger.error(
      { file: this.#file, keptAs: aside, reason, code: 'STATE_CORRUPT' },
      'state file is corrupt; moved aside, starting with an empty store',
    );
  }

  /** Queues one write for the next journal append; resolves (with "it existed") once it is durable and applied. */
  #commit(op: JournalOp): Promise<boolean> {
    const gen = ++this.#changeGen;
    this.#pending.set(pendingKey(op.ns, op.id), { gen, value: op.value });
    const done = new Promise<boolean>((resolve, reject) => {
      this.#queue.push({ gen, op, resolve, reject });
    });
    if (!this.#draining) {
      this.#draining = true;
      this.#flushing = this.#drain();
    }
    return done;
  }

  /** One append at a time; each takes everything queued so far, so concurrent writers share one fsync. */
  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        let failure: GerbangError | undefined;
        try {
          // After a failed append the journal's tail is unknown: fold it away before trusting it again.
          if (this.#journalSuspect) await this.#compact();
          this.#journalBytes = await appendJournal(
            this.#journal,
            this.#dir,
            encodeOps(batch.map((w) => w.op)),
          );
          this.#flushCount++;
        } catch (err) {
          this.#journalSuspect = true;
          failure = new GerbangError(
            'STORE_UNAVAILABLE',
            `cannot write state file ${this.#journal}: ${messageOf(err)}`,
          );
          this.#logger.error(
            { err: messageOf(err), file: this.#journal, writes: batch.length },
            'state journal write failed; the writes are refused and not applied',
          );
        }
        for (const waiter of batch) {
          const key = pendingKey(waiter.op.ns, waiter.op.id);
          if (this.#pending.get(key)?.gen === waiter.gen) this.#pending.delete(key);
          if (failure) {
            waiter.reject(failure);
            continue;
          }
          waiter.resolve(this.#apply(waiter.op));
        }
        if (!failure && this.#journalBytes >= Math.max(this.#compactBytes, this.#stateBytes)) {
          await this.#compact().catch((err: unknown) =>
            this.#logger.warn(
              { err: messageOf(err), file: this.#file },
              'state file compaction failed; retried later',
            ),
          );
        }
      }
    } finally {
      // Cleared in the same synchronous step as the final empty check, so no later write can be stranded.
      this.#draining = false;
    }
  }

  /** Applies a durable write to memory and announces it; false for a delete of something already gone. */
  #apply(op: JournalOp): boolean {
    if (op.value === null) {
      const existed = this.#data.get(op.ns)?.delete(op.id) === true;
      if (existed) this.#events.emit('change', { ns: op.ns, id: op.id, op: 'delete' });
      return existed;
    }
    this.#namespace(op.ns).set(op.id, op.value);
    this.#events.emit('change', { ns: op.ns, id: op.id, op: 'put' });
    return true;
  }

  /** Rewrites the state file from memory (atomically), then drops the journal it now contains. */
  async #compact(): Promise<void> {
    const text = this.#serialize();
    await this.#writeAtomically(text);
    this.#stateBytes = Buffer.byteLength(text);
    await removeJournal(this.#journal, this.#dir);
    this.#journalBytes = 0;
    this.#journalSuspect = false;
    this.#compactions++;
  }

  #serialize(): string {
    const namespaces: Record<string, unknown> = { ...this.#foreign };
    for (const [ns, map] of this.#data) {
      if (map.size > 0) namespaces[ns] = Object.fromEntries(map);
    }
    return JSON.stringify({ version: FORMAT_VERSION, savedAt: new Date().toISOString(), namespaces });
  }

  async #writeAtomically(text: string): Promise<void> {
    const handle = await open(this.#tmp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#tmp, this.#file);
    // The rename is durable only once the directory entry is.
    await syncDir(this.#dir);
  }
}

function pendingKey(ns: Namespace, id: string): string {
  return `${ns}\u0000${id}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errnoCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A timestamp usable in a file name on every platform. */
function fileStamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

/** Group and record in one id of the `counters` namespace: a group's records share its prefix. */
function counterId(group: string, record: string): string {
  return `${group}\u001f${record}`;
}

function parseCounters(value: string | undefined): Record<string, number> {
  if (value === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(value);
    if (!isRecord(parsed)) return {};
    const counters: Record<string, number> = {};
    for (const [field, n] of Object.entries(parsed)) if (typeof n === 'number') counters[field] = n;
    return counters;
  } catch {
    return {};
  }
}
