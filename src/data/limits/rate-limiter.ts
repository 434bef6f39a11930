/** One data plane's rate limits: GCRA on local state, decided with no await; the other data planes' counts arrive in the background (rate-cluster-sync.ts). */
import { MAX_PARSED_ADDRESSES } from '../../config/defaults.js';
import { clientKey } from './client-key.js';
import type { RatePlan } from './rate-plan.js';
import { type RateEntry, RateTable } from './rate-table.js';

/** IPv6 /64 keys of addresses seen lately: parsing one costs far more than the rest of a decision. Cleared whole when full. */
const IPV6_KEYS = new Map<string, string>();

function keyOf(address: string): string {
  if (!address.includes(':')) return address;
  let key = IPV6_KEYS.get(address);
  if (key === undefined) {
    key = clientKey(address);
    if (IPV6_KEYS.size >= MAX_PARSED_ADDRESSES) IPV6_KEYS.clear();
    IPV6_KEYS.set(address, key);
  }
  return key;
}

/** A refusal: the plan that refused and the whole seconds until one more request would pass. */
export interface RateVerdict {
  readonly plan: RatePlan;
  readonly retryAfterS: number;
}

export interface RateLimiterOptions {
  /** Hard cap of the keys remembered (DEFAULT_RATE_LIMIT_MAX_KEYS). */
  maxKeys: number;
  /** Told of every refusal (the metric). */
  onLimited: (hostName: string) => void;
  /** Whether counts go to a cluster (Redis): without one nothing is kept for a sync. */
  shared: boolean;
  /** Told once, on the first request a limit applies to: the exchange with the cluster starts then, not before. */
  onFirstUse?: (() => void) | undefined;
}

/** What one sync sends for an entry: how many of its requests go into the cluster's counter. */
export interface PendingCount {
  readonly entry: RateEntry;
  readonly count: number;
}

/**
 * GCRA (the generic cell rate algorithm) rather than a token bucket: the same decisions, but one number per key
 * (the theoretical arrival time) and no refill arithmetic, and counts from other data planes are charged simply by
 * moving that time forward by count × T.
 */
export class RateLimiter {
  readonly table: RateTable;
  /** Intervals one request costs here: 1 while counting with the cluster, this plane's share of it otherwise. */
  weight = 1;
  readonly #dirty = new Set<RateEntry>();
  readonly #options: RateLimiterOptions;
  #started = false;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
    this.table = new RateTable(options.maxKeys);
  }

  /** undefined when the request may pass (counted), else the refusal; `address` is the client as access lists see it. */
  limit(plan: RatePlan, address: string, now: number = Date.now()): RateVerdict | undefined {
    if (!this.#started) {
      this.#started = true;
      this.#options.onFirstUse?.();
    }
    if (plan.exempt?.admits(address) === true) return undefined;
    const client = keyOf(address);
    const entry = this.table.get(plan.id, client);
    const base = entry === undefined || entry.tat < now ? now : entry.tat;
    const cost = plan.intervalMs * this.weight;
    const next = base + cost;
    const ahead = next - now;
    // A share smaller than one request (burst 1, two planes) still lets one through at its rate.
    const allowance = cost > plan.capacityMs ? cost : plan.capacityMs;
    if (ahead > allowance + 1e-6) {
      this.#options.onLimited(plan.hostName);
      return { plan, retryAfterS: Math.max(1, Math.ceil((ahead - allowance) / 1000)) };
    }
    if (entry === undefined) {
      const added: RateEntry = {
        planId: plan.id,
        client,
        plan,
        tat: next,
        pending: 1,
        window: -1,
        own: 0,
        remote: 0,
      };
      this.table.add(added, now);
      this.#markDirty(added);
      return undefined;
    }
    entry.plan = plan;
    entry.tat = next;
    entry.pending++;
    this.#markDirty(entry);
    return undefined;
  }

  /** Up to `max` entries with requests not yet sent, their counts taken (a failed send drops them: the share applied meanwhile). */
  takePending(max: number): PendingCount[] {
    const out: PendingCount[] = [];
    for (const entry of this.#dirty) {
      if (out.length >= max) break;
      this.#dirty.delete(entry);
      if (entry.pending > 0) out.push({ entry, count: entry.pending });
      entry.pending = 0;
    }
    return out;
  }

  /**
   * The cluster's count of the entry's window after this plane added `sent`: what the others admitted since the last
   * sync moves the arrival time forward. Bounded by two capacities past the time since that sync, what a cluster
   * can have admitted meanwhile, so a first look at a long window's history cannot shut an address out for long.
   */
  chargeRemote(
    entry: RateEntry,
    window: number,
    sent: number,
    total: number,
    now: number,
    sinceSyncMs: number,
  ): void {
    if (entry.window !== window) {
      entry.window = window;
      entry.own = 0;
      entry.remote = 0;
    }
    entry.own += sent;
    const remote = Math.max(0, total - entry.own);
    const fresh = remote - entry.remote;
    if (fresh <= 0) return;
    entry.remote = remote;
    const plan = entry.plan;
    // The others' requests came since the last sync, not all now: charged from then, an idle address keeps its credit.
    const since = now - sinceSyncMs;
    const base = entry.tat < since ? since : entry.tat;
    entry.tat = Math.min(base + fresh * plan.intervalMs, now + 2 * plan.capacityMs + sinceSyncMs);
  }

  /** The set of entries to send is bounded like the table (a flood of new keys waits for room). */
  #markDirty(entry: RateEntry): void {
    if (this.#options.shared && this.#dirty.size < this.#options.maxKeys) this.#dirty.add(entry);
  }
}
