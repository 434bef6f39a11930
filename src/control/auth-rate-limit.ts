/** Counts failed admin authentications per client address; past the limit the address gets 429 until its window ends. */
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

export class AuthRateLimit {
  private readonly windows: LRUCache<string, Window>;
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(options: AuthRateLimitOptions = {}) {
    this.limit = options.limit ?? DEFAULT_AUTH_FAILURE_LIMIT;
    this.windowMs = options.windowMs ?? DEFAULT_AUTH_FAILURE_WINDOW_MS;
    this.windows = new LRUCache({ max: options.tracked ?? DEFAULT_AUTH_FAILURE_TRACKED });
  }

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfter(address: string, now = Date.now()): number {
    const window = this.windows.get(address);
    if (window === undefined || window.resetAt <= now) return 0;
    return window.failures >= this.limit ? Math.ceil((window.resetAt - now) / 1000) : 0;
  }

  fail(address: string, now = Date.now()): void {
    const window = this.windows.get(address);
    if (window === undefined || window.resetAt <= now) {
      this.windows.set(address, { failures: 1, resetAt: now + this.windowMs });
    } else window.failures++;
  }
}
