/** Per-request cache state: what the lookup found and decided, read by the hooks that store, revalidate and fall back. */
import type { CacheEntry } from './cache-entry.js';
import type { ForwardReason } from './cache-status.js';
import type { Flight } from './coalescer.js';
import type { RouteCachePlan } from './route-plan.js';

export interface CacheExchange {
  readonly key: string;
  readonly hostName: string;
  /** Path and query as received. */
  readonly url: string;
  readonly path: string;
  /** Index of `?` in url, -1 without a query. */
  readonly q: number;
  readonly plan: RouteCachePlan;
  /** Any method not known to be safe (POST, PUT, DELETE, PATCH, extensions): forwarded, and a success invalidates. */
  readonly unsafe: boolean;
  /** A GET without Range: its response may be stored, and it takes part in coalescing. */
  readonly storing: boolean;
  /** The stored response being revalidated, also the fallback when the backend fails. */
  stale: CacheEntry | undefined;
  /** The upstream request carries our validators. */
  revalidating: boolean;
  reason: ForwardReason;
  flight: Flight | undefined;
  /** Waited for another request's flight already: never waits twice. */
  followed: boolean;
  requestTime: number;
}
