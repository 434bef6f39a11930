/** The default store: everything in memory, persisted to one state file by atomic, coalesced write-then-rename. */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GerbangError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { isNamespace } from './namespaces.js';
import type { Lock, Namespace, Store, StoreEvents, StoreState } from './store.js';
import { StoreEmitter } from './store-emitter.js';

export const STATE_FILE_NAME = 'store.json';
const FORMAT_VERSION = 1;

export interface EmbeddedStoreOptions {
  /** Directory of the state file; created with mode 0700 when missing. */
  stateDir: string;
  logger: Logger;
}

interface Waiter {
  /** The change generation this caller needs on disk. */
  gen: number;
  resolve(): void;
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
  readonly #logger: Logger;
  readonly #events: StoreEmitter;
  readonly #data = new Map<Namespace, Map<string, string>>();
  /** Namespaces this version does not know (a newer Gerbang wrote them): written back untouched. */
  #foreign: Record<string, unknown> = {};
  #phase: 'new' | 'started' | 'closed' = 'new';

  #changeGen = 0;
  #durableGen = 0;
  #waiters: Waiter[] = [];
  #draining = false;
  #flushing: Promise<void> = Promise.resolve();
  #flushCount = 0;

  readonly #locks = new Map<string, HeldLock>();
  readonly #fences = new Map<string, number>();

  constructor(options: EmbeddedStoreOptions) {
    this.#dir = options.stateDir;
    this.#file = join(options.stateDir, STATE_FILE_NAME);
    this.#tmp = `${this.#file}.tmp`;
    this.#logger = options.logger.child({ component: 'store', store: 'embedded' });
    this.#events = new StoreEmitter(this.#logger);
  }

  /** How many times the state file has been rewritten: shows that concurrent writes share flushes. */
  get flushCount(): number {
    return this.#flushCount;
  }

  async start(): Promise<void> {
    if (this.#phase !== 'new') throw new GerbangError('INTERNAL', 'embedded store started twice');
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    // A leftover temp file is a flush that crashed before its rename; the state file itself is intact.
    await rm(this.#tmp, { force: true });
    await this.#load();
    this.#phase = 'started';
  }

  async close(): Promise<void> {
    if (this.#phase !== 'started') {
      this.#phase = 'closed';
      return;
    }
    await this.#flushing;
    // A failed flush leaves memory ahead of disk; give it one last chance before we stop.
    const lastAttempt = this.#changeGen > this.#durableGen ? this.#persist() : undefined;
    this.#phase = 'closed';
    await lastAttempt;
  }

  async get(ns: Namespace, id: string): Promise<string | undefined> {
    this.#assertOpen();
    return this.#data.get(ns)?.get(id);
  }

  async getAll(ns: Namespace): Promise<Map<string, string>> {
    this.#assertOpen();
    return new Map(this.#data.get(ns));
  }

  async put(ns: Namespace, id: string, value: string): Promise<void> {
    this.#assertOpen();
    this.#namespace(ns).set(id, value);
    this.#events.emit('change', { ns, id, op: 'put' });
    await this.#persist();
  }

  async delete(ns: Namespace, id: string): Promise<boolean> {
    this.#assertOpen();
    const map = this.#data.get(ns);
    if (!map?.delete(id)) return false;
    this.#events.emit('change', { ns, id, op: 'delete' });
    await this.#persist();
    return true;
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

  async #keepAside(reason: string): Promise<void> {
    const aside = `${this.#file}.corrupt-${fileStamp()}`;
    await rename(this.#file, aside);
    this.#logger.error(
      { file: this.#file, keptAs: aside, reason, code: 'STATE_CORRUPT' },
      'state file is corrupt; moved aside, starting with an empty store',
    );
  }

  /** Resolves once the change just made in memory (and any before it) is on disk. */
  #persist(): Promise<void> {
    const gen = ++this.#changeGen;
    const done = new Promise<void>((resolve, reject) => {
      this.#waiters.push({ gen, resolve, reject });
    });
    if (!this.#draining) {
      this.#draining = true;
      this.#flushing = this.#drain();
    }
    return done;
  }

  /** One flush at a time; each writes everything changed so far, so concurrent writers share a rewrite. */
  async #drain(): Promise<void> {
    try {
      while (this.#waiters.length > 0) {
        const gen = this.#changeGen;
        const text = this.#serialize();
        let failure: GerbangError | undefined;
        try {
          await this.#writeAtomically(text);
          this.#durableGen = gen;
          this.#flushCount++;
        } catch (err) {
          failure = new GerbangError(
            'STORE_UNAVAILABLE',
            `cannot write state file ${this.#file}: ${messageOf(err)}`,
          );
          this.#logger.error(
            { err, file: this.#file },
            'state file write failed; the change is kept in memory only',
          );
        }
        const due = this.#waiters.filter((w) => w.gen <= gen);
        this.#waiters = this.#waiters.filter((w) => w.gen > gen);
        for (const waiter of due) {
          if (failure) waiter.reject(failure);
          else waiter.resolve();
        }
      }
    } finally {
      // Cleared in the same synchronous step as the final empty check, so no later put can be stranded.
      this.#draining = false;
    }
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
    const dir = await open(this.#dir, 'r');
    try {
      await dir.sync();
    } catch {
      // Some filesystems refuse fsync on a directory; the data file itself is already synced.
    } finally {
      await dir.close();
    }
  }
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
