/** Counts failed admin authentications per client address; past the limit further failures get 429, never a valid token. */
import { LRUCache } from 'lru-cache';
import {
  DEFAULT_AUTH_FAILURE_LIMIT,
  DEFAULT_AUTH_FAILURE_TRACKED,
  DEFAULT_AUTH_FAILURE_WINDOW_MS,
} from '../config/defaults.js';

interface Window {
  failures: number;
  /** Date.now() when the count resets. */
  resetAt: number;
}

export interface AuthRateLimitOptions {
  limit?: number;
  windowMs?: number;
  tracked?: number;
}

/**
 * The admin listener is often reached from one shared address (an office NAT, an SSH tunnel, the compose bridge):
 * limiting the address would let one clumsy user or one attacker lock every operator out. So the caller checks the
 * credential first and asks here only about a failure; a correct token is never refused. Secrets are 256 random
 * bits, so the limit is not what stops guessing: it keeps a guesser cheap to answer and visible in the audit log.
 */
export class AuthRateLimit {
  private readonly windows: LRUCache<string, Window>;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(options: AuthRateLimitOptions = {}) {
    this.limit = options.limit ?? DEFAULT_AUTH_FAILURE_LIMIT;
    this.windowMs = options.windowMs ?? DEFAULT_AUTH_FAILURE_WINDOW_MS;
    this.windows = new LRUCache({ max: options.tracked ?? DEFAULT_AUTH_FAILURE_TRACKED });
  }

  /**
   * Counts one failed authentication; returns the seconds the address should wait before failing again (429), or 0
   * while it is under the limit (401). The window is fixed from its first failure: failing on does not extend it.
   */
  fail(address: string, now = Date.now()): number {
    let window = this.windows.get(address);
    if (window === undefined || window.resetAt <= now) {
      window = { failures: 0, resetAt: now + this.windowMs };
      this.windows.set(address, window);
    }
    window.failures++;
    return window.failures > this.limit ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
  }
}
