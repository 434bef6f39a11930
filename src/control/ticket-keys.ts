/** TLS session ticket keys shared by every instance through the store (namespace `meta`, like the ACME account key), rotated under a lock. */
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { DEFAULT_TLS_TICKET_KEY_ROTATION_MS } from '../config/defaults.js';
import { TICKET_KEY_BYTES, type TicketKeySet } from '../data/tls/ticket-key-ring.js';
import { compileValidator } from '../model/validate.js';
import type { Logger } from '../observability/logger.js';
import type { Change, Store } from '../store/store.js';

const TICKET_KEYS_ID = 'tls-ticket-keys';
const LOCK_NAME = 'tls-ticket-keys';
const LOCK_TTL_MS = 10_000;
/** An instance that finds the lock taken looks again this soon: the holder's write is usually there by then. */
const RETRY_MS = 250;

/** The stored record: base64 keys, and when the current one took over (ms epoch). */
const RECORD = compileValidator(
  Type.Object({
    current: Type.String(),
    previous: Type.Union([Type.String(), Type.Null()]),
    rotatedAt: Type.Integer({ minimum: 0 }),
  }),
);

interface Held {
  keys: TicketKeySet;
  rotatedAt: number;
}

function key48(text: string): Buffer | undefined {
  const buf = Buffer.from(text, 'base64');
  return buf.length === TICKET_KEY_BYTES ? buf : undefined;
}

/** undefined for anything that is not a record this module wrote (absent, corrupt, keys of the wrong size). */
function decode(raw: string | undefined): Held | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!RECORD.check(value)) return undefined;
  const current = key48(value.current);
  const previous = value.previous === null ? undefined : key48(value.previous);
  if (current === undefined || (value.previous !== null && previous === undefined)) return undefined;
  return { keys: { current, previous }, rotatedAt: value.rotatedAt };
}

export interface TicketKeyKeeperOptions {
  store: Store;
  logger: Logger;
  rotationMs?: number | undefined;
  now?: () => number;
}

/**
 * Keeps this instance's copy of the shared keys and replaces them when they are due: one instance rotates under the
 * store lock (re-reading first), the others take the new record from the change feed. The keys never reach a log
 * line; only the rotation time does.
 */
export class TicketKeyKeeper {
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #rotationMs: number;
  readonly #now: () => number;
  readonly #listeners: Array<(keys: TicketKeySet) => void> = [];
  #held: Held | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  readonly #onChange = (change: Change): void => {
    if (change.ns === 'meta' && change.id === TICKET_KEYS_ID) void this.#refresh();
  };
  readonly #onResync = (): void => void this.#refresh();

  constructor(options: TicketKeyKeeperOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#rotationMs = options.rotationMs ?? DEFAULT_TLS_TICKET_KEY_ROTATION_MS;
    this.#now = options.now ?? Date.now;
  }

  /** The keys now; undefined only before start() could read or make them. */
  get keys(): TicketKeySet | undefined {
    return this.#held?.keys;
  }

  /** Called with every new set of keys (this instance's rotation or another's). */
  onKeys(listener: (keys: TicketKeySet) => void): void {
    this.#listeners.push(listener);
  }

  async start(): Promise<void> {
    this.#store.on('change', this.#onChange);
    this.#store.on('resync', this.#onResync);
    await this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#store.off('change', this.#onChange);
    this.#store.off('resync', this.#onResync);
  }

  /** Adopts the stored keys, rotates them when due (or makes the first ones), and schedules the next look. */
  async #tick(): Promise<void> {
    if (this.#stopped) return;
    let retryMs = RETRY_MS;
    try {
      const stored = decode(await this.#store.get('meta', TICKET_KEYS_ID));
      if (stored !== undefined) this.#adopt(stored);
      if (stored === undefined || this.#due(stored)) {
        const lock = await this.#store.tryLock(LOCK_NAME, LOCK_TTL_MS);
        if (lock !== undefined) {
          try {
            const again = decode(await this.#store.get('meta', TICKET_KEYS_ID));
            if (again !== undefined && !this.#due(again)) this.#adopt(again);
            else await this.#rotate(again);
          } finally {
            await lock.release();
          }
        }
      }
    } catch (err) {
      // Store unreachable: the keys held stay in use (or, before any, each process keeps its own).
      this.#logger.warn({ err: (err as Error).message }, 'TLS ticket keys: store not reachable; retrying');
      retryMs = Math.min(this.#rotationMs, 5_000);
    }
    this.#schedule(retryMs);
  }

  #due(held: Held): boolean {
    return this.#now() >= held.rotatedAt + this.#rotationMs;
  }

  async #rotate(before: Held | undefined): Promise<void> {
    const rotatedAt = this.#now();
    const keys: TicketKeySet = { current: randomBytes(TICKET_KEY_BYTES), previous: before?.keys.current };
    await this.#store.put(
      'meta',
      TICKET_KEYS_ID,
      JSON.stringify({
        current: keys.current.toString('base64'),
        previous: keys.previous?.toString('base64') ?? null,
        rotatedAt,
      }),
    );
    this.#adopt({ keys, rotatedAt });
    this.#logger.info({ rotatedAt: new Date(rotatedAt).toISOString() }, 'TLS session ticket keys rotated');
  }

  async #refresh(): Promise<void> {
    try {
      const stored = decode(await this.#store.get('meta', TICKET_KEYS_ID));
      if (stored !== undefined) this.#adopt(stored);
    } catch {
      // The next tick reads again.
    }
  }

  #adopt(held: Held): void {
    const before = this.#held;
    // An older record read late (a refresh racing a rotation) never replaces a newer one.
    if (
      before !== undefined &&
      (held.rotatedAt < before.rotatedAt ||
        (held.rotatedAt === before.rotatedAt && before.keys.current.equals(held.keys.current)))
    )
      return;
    this.#held = held;
    this.#schedule(RETRY_MS);
    for (const listener of this.#listeners) listener(held.keys);
  }

  /** Next look: when the held keys are due, or `fallbackMs` from now when there are none yet. */
  #schedule(fallbackMs: number): void {
    if (this.#stopped) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    const held = this.#held;
    const wait =
      held === undefined ? fallbackMs : Math.max(held.rotatedAt + this.#rotationMs - this.#now(), fallbackMs);
    this.#timer = setTimeout(() => void this.#tick(), wait);
    this.#timer.unref();
  }
}
