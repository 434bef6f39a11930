/** The per-address GCRA states of one data plane, by plan then client key, with a hard cap: 100,000 passing addresses cannot grow it past the cap. */
import type { RatePlan } from './rate-plan.js';

export interface RateEntry {
  readonly planId: string;
  /** The client key: IPv4 address or IPv6 /64. */
  readonly client: string;
  /** The plan it was last counted under (its interval converts remote counts into time). */
  plan: RatePlan;
  /** GCRA's theoretical arrival time (ms, Date.now clock); at or before now the entry is as good as absent. */
  tat: number;
  /** Requests admitted here and not yet added to the cluster's counter. */
  pending: number;
  /** The cluster window the next two counts belong to. */
  window: number;
  /** This data plane's requests already added to the window's counter. */
  own: number;
  /** Other data planes' requests in the window already charged to `tat`. */
  remote: number;
}

/** When full, entries whose time has come are swept; if that frees too little, the oldest go down to this share. */
const REFILL_SHARE = 0.9;

/** Two levels, not one map on `plan|client`: the plan id is the same string every time, so no key is built per request. */
export class RateTable {
  readonly #plans = new Map<string, Map<string, RateEntry>>();
  #size = 0;

  constructor(private readonly maxKeys: number) {}

  get(planId: string, client: string): RateEntry | undefined {
    return this.#plans.get(planId)?.get(client);
  }

  /** Adds an entry, making room first: a sweep runs at most once per tenth of the cap, so its cost is amortised. */
  add(entry: RateEntry, now: number): void {
    if (this.#size >= this.maxKeys) this.#makeRoom(now);
    let clients = this.#plans.get(entry.planId);
    if (clients === undefined) {
      clients = new Map();
      this.#plans.set(entry.planId, clients);
    }
    clients.set(entry.client, entry);
    this.#size++;
  }

  get size(): number {
    return this.#size;
  }

  #makeRoom(now: number): void {
    for (const clients of this.#plans.values())
      for (const [client, entry] of clients)
        if (entry.tat <= now && entry.pending === 0) {
          clients.delete(client);
          this.#size--;
        }
    const keep = Math.floor(this.maxKeys * REFILL_SHARE);
    // Oldest first (Map order is insertion order): an address that came long ago and keeps coming loses its debt.
    for (const clients of this.#plans.values()) {
      for (const client of clients.keys()) {
        if (this.#size <= keep) break;
        clients.delete(client);
        this.#size--;
      }
      if (this.#size <= keep) break;
    }
    for (const [planId, clients] of this.#plans) if (clients.size === 0) this.#plans.delete(planId);
  }
}
