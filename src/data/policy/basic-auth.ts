/** Basic authentication at the edge: the plan of a host or route, and the process-wide gate that remembers valid logins and slows failures per address. */
import { createHmac, randomBytes } from 'node:crypto';
import {
  BASIC_AUTH_CACHE_ENTRIES,
  BASIC_AUTH_CACHE_TTL_MS,
  BASIC_AUTH_FAILURE_BASE_DELAY_MS,
  BASIC_AUTH_FAILURE_MAX_DELAY_MS,
  BASIC_AUTH_FAILURE_WINDOW_MS,
  BASIC_AUTH_TRACKED_ADDRESSES,
  BASIC_AUTH_VERIFY_CONCURRENCY,
  BASIC_AUTH_VERIFY_QUEUE,
  DEFAULT_BASIC_AUTH_REALM,
} from '../../config/defaults.js';
import { GerbangError } from '../../errors.js';
import type { BasicAuth } from '../../model/basic-auth-schema.js';
import { hashKindOf } from '../../model/password-hash-format.js';
import { passwordMatches } from './password-hashes.js';

export interface BasicAuthPlan {
  /** `Basic realm="..."`, the WWW-Authenticate value of every 401. */
  readonly challenge: string;
  /** Authorization goes on to the backend; otherwise it is removed once checked. */
  readonly passThrough: boolean;
  /** User name → stored hash. */
  readonly users: ReadonlyMap<string, string>;
  /** An unknown user is checked against this (the first user's hash): same cost, so no timing tells who exists. */
  readonly decoy: string;
}

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** The plan of `access.basicAuth`, or undefined when there is none or it is switched off. Throws naming the field. */
export function compileBasicAuth(spec: BasicAuth | undefined, field: string): BasicAuthPlan | undefined {
  if (spec === undefined || spec.enabled === false) return undefined;
  const users = new Map<string, string>();
  for (const [i, user] of (spec.users ?? []).entries()) {
    const kind = user.hash === undefined ? 'no hash' : hashKindOf(user.hash);
    if (user.hash === undefined || (kind !== 'scrypt' && kind !== 'bcrypt'))
      throw new GerbangError('VALIDATION_FAILED', `${field}/users/${i}/hash: ${kind}`);
    users.set(user.name, user.hash);
  }
  const decoy = users.values().next().value;
  // A list with nobody in it admits nobody: the decoy never matches a password that was never set.
  return {
    challenge: `Basic realm="${spec.realm ?? DEFAULT_BASIC_AUTH_REALM}", charset="UTF-8"`,
    passThrough: spec.passThrough === true,
    users,
    decoy: decoy ?? '',
  };
}

/** The user and password of an `Authorization: Basic` field, or undefined for anything else. */
export function readCredentials(header: string | undefined): Credentials | undefined {
  if (header === undefined || header.length > 4096) return undefined;
  if (header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

interface AddressState {
  failures: number;
  /** Until then a new attempt from this address is answered 401 without a hash being computed. */
  blockedUntil: number;
  verifying: boolean;
  lastAt: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * One per process (both listeners): valid logins remembered by an HMAC of (user, stored hash, password) under a
 * secret of this process, so a valid user pays the slow hash once and nothing reversible is kept; at most
 * BASIC_AUTH_VERIFY_CONCURRENCY hashes at once; per address one hash at a time and failures answered later and
 * later. Both maps are bounded, their oldest entries going first.
 */
export class BasicAuthGate {
  private readonly secret = randomBytes(32);
  private readonly remembered = new Map<string, number>();
  private readonly addresses = new Map<string, AddressState>();
  private running = 0;
  private readonly queue: Array<() => void> = [];

  private keyOf(plan: BasicAuthPlan, credentials: Credentials): string | undefined {
    const hash = plan.users.get(credentials.user);
    if (hash === undefined) return undefined;
    return createHmac('sha256', this.secret)
      .update(credentials.user)
      .update('\0')
      .update(hash)
      .update('\0')
      .update(credentials.password)
      .digest('base64url');
  }

  /** True when these credentials were verified against this very hash lately: no slow hash on this request. */
  remembers(plan: BasicAuthPlan, credentials: Credentials): boolean {
    const key = this.keyOf(plan, credentials);
    if (key === undefined) return false;
    const until = this.remembered.get(key);
    if (until === undefined) return false;
    this.remembered.delete(key);
    if (until < Date.now()) return false;
    this.remembered.set(key, until);
    return true;
  }

  /** Resolves true for valid credentials; false after the failure delay of `address` (never rejects). */
  async verify(plan: BasicAuthPlan, credentials: Credentials, address: string): Promise<boolean> {
    const now = Date.now();
    const state = this.stateOf(address, now);
    if (state.verifying || now < state.blockedUntil || this.queue.length >= BASIC_AUTH_VERIFY_QUEUE) {
      // No hash for this attempt: answered when the address's penalty is over, never sooner than the base delay.
      await sleep(
        Math.min(
          Math.max(state.blockedUntil - now, BASIC_AUTH_FAILURE_BASE_DELAY_MS),
          BASIC_AUTH_FAILURE_MAX_DELAY_MS,
        ),
      );
      return false;
    }
    state.verifying = true;
    let ok: boolean;
    try {
      await this.acquire();
      try {
        const hash = plan.users.get(credentials.user);
        const matches = await passwordMatches(credentials.password, hash ?? plan.decoy);
        ok = matches && hash !== undefined;
      } finally {
        this.release();
      }
    } finally {
      state.verifying = false;
    }
    if (ok) {
      this.remember(plan, credentials);
      this.addresses.delete(address);
      return true;
    }
    state.failures++;
    state.lastAt = Date.now();
    const delay = Math.min(
      BASIC_AUTH_FAILURE_BASE_DELAY_MS * 2 ** Math.min(state.failures - 1, 16),
      BASIC_AUTH_FAILURE_MAX_DELAY_MS,
    );
    state.blockedUntil = state.lastAt + delay;
    await sleep(delay);
    return false;
  }

  /** Sizes, for the memory-bound test. */
  sizes(): { remembered: number; addresses: number; queued: number } {
    return { remembered: this.remembered.size, addresses: this.addresses.size, queued: this.queue.length };
  }

  private remember(plan: BasicAuthPlan, credentials: Credentials): void {
    const key = this.keyOf(plan, credentials);
    if (key === undefined) return;
    this.remembered.delete(key);
    this.remembered.set(key, Date.now() + BASIC_AUTH_CACHE_TTL_MS);
    if (this.remembered.size > BASIC_AUTH_CACHE_ENTRIES) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }

  private stateOf(address: string, now: number): AddressState {
    let state = this.addresses.get(address);
    if (state !== undefined && !state.verifying && now - state.lastAt > BASIC_AUTH_FAILURE_WINDOW_MS)
      state = undefined;
    if (state === undefined) state = { failures: 0, blockedUntil: 0, verifying: false, lastAt: now };
    // Re-inserted: the map's order is the order of last use, so the first key is the one to evict.
    this.addresses.delete(address);
    this.addresses.set(address, state);
    if (this.addresses.size > BASIC_AUTH_TRACKED_ADDRESSES) {
      const oldest = this.addresses.keys().next().value;
      if (oldest !== undefined) this.addresses.delete(oldest);
    }
    return state;
  }

  private acquire(): Promise<void> {
    if (this.running < BASIC_AUTH_VERIFY_CONCURRENCY) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(): void {
    const next = this.queue.shift();
    if (next !== undefined) next();
    else this.running--;
  }
}

/** The process's gate: both listeners share remembered logins and the per-address throttle. */
export const basicAuthGate = new BasicAuthGate();
