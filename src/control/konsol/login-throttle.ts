/** Slows failed Konsol logins per account and per address with a doubling delay; a correct login from an address that has not failed is never refused. */
import { LRUCache } from 'lru-cache';
import {
  DEFAULT_LOGIN_BASE_DELAY_MS,
  DEFAULT_LOGIN_FREE_FAILURES,
  DEFAULT_LOGIN_MAX_DELAY_MS,
  DEFAULT_LOGIN_TRACKED,
} from '../../config/defaults.js';

interface Failures {
  count: number;
  /** Date.now() before which this key's next attempt is answered 429 without checking the password. */
  blockedUntil: number;
  /** Addresses that failed on this account (for the account key only). */
  from?: Set<string>;
}

export interface LoginThrottleOptions {
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  tracked?: number;
}

/** Addresses remembered per account: a spray from many addresses cannot grow one entry without bound. */
const MAX_ADDRESSES_PER_ACCOUNT = 1_000;

/**
 * Why an address that has not failed may always try: the console is often reached from one office NAT or from many
 * addresses at once, and an attacker who fails on an account must not lock its owner out. So an account's delay
 * applies to the addresses that failed on it; an address's delay to everything it tries. Each address thus gets one
 * guess per delay, a growing one, and its failures get 429 while the delay runs.
 */
export class LoginThrottle {
  private readonly accounts: LRUCache<string, Failures>;
  private readonly addresses: LRUCache<string, Failures>;
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: LoginThrottleOptions = {}) {
    this.freeFailures = options.freeFailures ?? DEFAULT_LOGIN_FREE_FAILURES;
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_LOGIN_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_LOGIN_MAX_DELAY_MS;
    const max = options.tracked ?? DEFAULT_LOGIN_TRACKED;
    // Entries outlive their delay by the longest delay, then the counts start afresh.
    this.accounts = new LRUCache({ max, ttl: this.maxDelayMs * 2 });
    this.addresses = new LRUCache({ max, ttl: this.maxDelayMs * 2 });
  }

  /** Milliseconds this attempt must wait (answer 429 without checking the password), or 0 to check it. */
  waitMs(login: string, address: string, now = Date.now()): number {
    const byAddress = this.addresses.get(address);
    const byAccount = this.accounts.get(login);
    const waits = [byAddress?.blockedUntil ?? 0];
    if (byAccount?.from?.has(address)) waits.push(byAccount.blockedUntil);
    return Math.max(0, ...waits.map((t) => t - now));
  }

  /** Records a wrong password; returns the delay now in force for this address (0 while under the free failures). */
  fail(login: string, address: string, now = Date.now()): number {
    const byAddress = this.bump(this.addresses, address, now);
    const byAccount = this.bump(this.accounts, login, now);
    byAccount.from ??= new Set();
    if (byAccount.from.size < MAX_ADDRESSES_PER_ACCOUNT) byAccount.from.add(address);
    return Math.max(0, Math.max(byAddress.blockedUntil, byAccount.blockedUntil) - now);
  }

  /** A correct login from this address clears its own failures (not the account's from other addresses). */
  succeed(login: string, address: string): void {
    this.addresses.delete(address);
    this.accounts.get(login)?.from?.delete(address);
  }

  private bump(map: LRUCache<string, Failures>, key: string, now: number): Failures {
    const entry = map.get(key) ?? { count: 0, blockedUntil: 0 };
    entry.count++;
    const over = entry.count - this.freeFailures;
    if (over > 0) {
      const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over - 1, 30));
      entry.blockedUntil = now + delay;
    }
    map.set(key, entry);
    return entry;
  }
}
