/** Konsol sessions in the store's `sessions` namespace, keyed by the SHA-256 of the cookie secret; checked against the store with a short local cache. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  DEFAULT_SESSION_CACHE_MS,
  DEFAULT_SESSION_IDLE_MS,
  DEFAULT_SESSION_LIFETIME_MS,
  DEFAULT_SESSION_TOUCH_MS,
  SESSION_SECRET_BYTES,
} from '../../config/defaults.js';
import type { Store } from '../../store/store.js';

export interface StoredSession {
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  /** The synchronizer token every form of this session carries. */
  csrf: string;
}

export interface SessionTimes {
  lifetimeMs: number;
  idleMs: number;
  touchMs: number;
  cacheMs: number;
}

export interface OpenSession {
  /** The store id (hash of the secret); never the secret itself. */
  id: string;
  session: StoredSession;
}

const SECRET_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;
/** Sessions this instance keeps locally at once; a miss only costs a store read. */
const CACHE_MAX = 5_000;

function idOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function parse(raw: string | undefined): StoredSession | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession>;
    if (
      typeof value.userId === 'string' &&
      typeof value.createdAt === 'number' &&
      typeof value.lastSeenAt === 'number' &&
      typeof value.csrf === 'string'
    ) {
      return value as StoredSession;
    }
  } catch {
    // A damaged record is no session.
  }
  return undefined;
}

export class SessionStore {
  readonly times: SessionTimes;
  /** Cached lookups, including "no such session", so a flood of bad cookies does not hammer the store. */
  private readonly cache: LRUCache<string, { session: StoredSession | null }>;
  /** Sessions last read alive, used only while the store is unreachable (an admin must still reach the system page). */
  private readonly lastKnown = new LRUCache<string, StoredSession>({ max: CACHE_MAX });
  private prunedAt = 0;

  constructor(
    private readonly store: Store,
    times: Partial<SessionTimes> = {},
  ) {
    this.times = {
      lifetimeMs: times.lifetimeMs ?? DEFAULT_SESSION_LIFETIME_MS,
      idleMs: times.idleMs ?? DEFAULT_SESSION_IDLE_MS,
      touchMs: times.touchMs ?? DEFAULT_SESSION_TOUCH_MS,
      cacheMs: times.cacheMs ?? DEFAULT_SESSION_CACHE_MS,
    };
    this.cache = new LRUCache({ max: CACHE_MAX, ttl: this.times.cacheMs });
  }

  /** Opens a session; returns the cookie secret (shown to the browser only) and the session. */
  async open(userId: string, now = Date.now()): Promise<{ secret: string } & OpenSession> {
    const secret = randomBytes(SESSION_SECRET_BYTES).toString('base64url');
    const session: StoredSession = {
      userId,
      createdAt: now,
      lastSeenAt: now,
      csrf: randomBytes(24).toString('base64url'),
    };
    const id = idOf(secret);
    await this.store.put('sessions', id, JSON.stringify(session));
    this.cache.set(id, { session });
    // Nobody logs out of every session: the expired ones go, at most once per idle timeout, as new ones come.
    if (now - this.prunedAt >= this.times.idleMs) {
      this.prunedAt = now;
      await this.prune(now);
    }
    return { secret, id, session };
  }

  /** The live session of a cookie secret, or undefined (unknown, expired, idle too long: the expired one is removed). */
  async find(secret: string | undefined, now = Date.now()): Promise<OpenSession | undefined> {
    if (secret === undefined || !SECRET_PATTERN.test(secret)) return undefined;
    const id = idOf(secret);
    let cached = this.cache.get(id);
    if (cached === undefined) {
      try {
        cached = { session: parse(await this.store.get('sessions', id)) ?? null };
        this.cache.set(id, cached);
      } catch (err) {
        // Unreachable store: a session seen alive here stays so within its own limits; a removal made on another
        // instance applies once the store answers again (until then this instance serves stale routes too).
        const known = this.store.state === 'disconnected' ? this.lastKnown.get(id) : undefined;
        if (known === undefined) throw err;
        cached = { session: known };
      }
    }
    const session = cached.session;
    if (session === null) return undefined;
    if (now - session.createdAt >= this.times.lifetimeMs || now - session.lastSeenAt >= this.times.idleMs) {
      this.lastKnown.delete(id);
      await this.close(id);
      return undefined;
    }
    this.lastKnown.set(id, session);
    if (now - session.lastSeenAt >= this.times.touchMs && this.store.state === 'connected') {
      const touched = { ...session, lastSeenAt: now };
      await this.store.put('sessions', id, JSON.stringify(touched));
      this.cache.set(id, { session: touched });
      this.lastKnown.set(id, touched);
      return { id, session: touched };
    }
    return { id, session };
  }

  async close(id: string): Promise<void> {
    this.cache.delete(id);
    this.lastKnown.delete(id);
    await this.store.delete('sessions', id);
  }

  /** Ends every session of a user, on every instance (they re-read the store within `cacheMs`). */
  async closeAllOf(userId: string): Promise<void> {
    for (const [id, raw] of await this.store.getAll('sessions')) {
      if (parse(raw)?.userId === userId) await this.close(id);
    }
  }

  /** Removes expired sessions (nobody logs out of every one); returns how many. */
  async prune(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const [id, raw] of await this.store.getAll('sessions')) {
      const s = parse(raw);
      if (
        s === undefined ||
        now - s.createdAt >= this.times.lifetimeMs ||
        now - s.lastSeenAt >= this.times.idleMs
      ) {
        await this.close(id);
        removed++;
      }
    }
    return removed;
  }
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfMatches(submitted: unknown, expected: string): boolean {
  if (typeof submitted !== 'string') return false;
  const a = createHash('sha256').update(submitted).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
