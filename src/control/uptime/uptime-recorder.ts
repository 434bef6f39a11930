/**
 * Keeps each host's up/down history in the store. Every instance watches (its health verdicts, its passive
 * checks, its traffic's upstream errors) but only the holder of the writer lease writes: the health-check
 * verdicts of two instances describe the same outage, so two writers would count it twice.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_UPTIME_LEASE_MS,
  DEFAULT_UPTIME_POLL_MS,
  DEFAULT_UPTIME_SLOT_MS,
} from '../../config/defaults.js';
import { statusOf } from '../../data/directory/directory-data.js';
import type { CompiledHost, SnapshotHolder } from '../../data/routing/snapshot.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import {
  closeMinute,
  decodeRecord,
  emptyRecord,
  openIncident,
  pruneIncidents,
  type UptimeRecord,
} from './uptime-record.js';

export const UPTIME_LEASE_ID = 'uptime-writer';
const LEASE_LOCK = 'uptime-writer';

export interface UptimeRecorderOptions {
  store: Store;
  holder: SnapshotHolder;
  logger: Logger;
  /** Upstream errors met by real traffic so far, per host (a counter's running totals). */
  trafficErrors?: () => Promise<Map<string, number>>;
  slotMs?: number;
  pollMs?: number;
  leaseMs?: number;
  now?: () => number;
}

interface Lease {
  id: string;
  until: number;
}

/** Why a down host is down: the reason of its first target, as GET /v1/status words it. */
function causeOf(host: CompiledHost): string {
  for (const route of host.routes) {
    const t = route.balancer.targets[0];
    if (t !== undefined) return t.activeUp ? t.reason : `health check failed: ${t.activeReason}`;
  }
  return 'no target';
}

export class UptimeRecorder {
  readonly id = randomUUID();
  readonly #o: UptimeRecorderOptions;
  readonly #slotMs: number;
  readonly #leaseMs: number;
  readonly #now: () => number;
  /** The down state last written per host, so that only changes cost a store write. */
  readonly #written = new Map<string, boolean>();
  #leaseUntil = 0;
  #lastSlot: number;
  #lastErrors = new Map<string, number>();
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: UptimeRecorderOptions) {
    this.#o = options;
    this.#slotMs = options.slotMs ?? DEFAULT_UPTIME_SLOT_MS;
    this.#leaseMs = options.leaseMs ?? DEFAULT_UPTIME_LEASE_MS;
    this.#now = options.now ?? Date.now;
    this.#lastSlot = this.#slotOf(this.#now());
  }

  start(): void {
    this.#timer = setInterval(() => this.#tick(), this.#o.pollMs ?? DEFAULT_UPTIME_POLL_MS);
    this.#timer.unref();
    this.#tick();
  }

  /** A health verdict changed: looked at now, so that an incident starts and ends at the verdict's time. */
  observe(): void {
    if (!this.#stopped) this.#enqueue(() => this.#evaluate(this.#now()));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#chain;
  }

  /** Resolves once every write asked for so far is done (tests). */
  settle(): Promise<void> {
    return this.#chain;
  }

  #slotOf(t: number): number {
    return Math.floor(t / this.#slotMs) * this.#slotMs;
  }

  #tick(): void {
    if (this.#stopped) return;
    this.#enqueue(async () => {
      const now = this.#now();
      if (!(await this.#holdLease(now))) {
        this.#written.clear();
        return;
      }
      await this.#evaluate(now);
      const slot = this.#slotOf(now);
      if (slot > this.#lastSlot) {
        await this.#closeMinute(this.#lastSlot, now);
        this.#lastSlot = slot;
      }
    });
  }

  #enqueue(job: () => Promise<void>): void {
    this.#chain = this.#chain.then(job).catch((err: unknown) => {
      this.#o.logger.warn({ err: (err as Error).message }, 'uptime: store write failed; retried next tick');
      this.#written.clear();
    });
  }

  /** Takes or renews the writer lease (a record in `meta`, changed under a lock); true when this instance writes. */
  async #holdLease(now: number): Promise<boolean> {
    if (this.#leaseUntil - now > this.#leaseMs / 2) return true;
    const { store } = this.#o;
    const lock = await store.tryLock(LEASE_LOCK, 5_000);
    if (lock === undefined) return this.#leaseUntil > now;
    try {
      const raw = await store.get('meta', UPTIME_LEASE_ID);
      let lease: Lease | undefined;
      try {
        lease = raw === undefined ? undefined : (JSON.parse(raw) as Lease);
      } catch {
        lease = undefined;
      }
      if (lease !== undefined && lease.id !== this.id && lease.until > now) {
        this.#leaseUntil = 0;
        return false;
      }
      const until = now + this.#leaseMs;
      await store.put('meta', UPTIME_LEASE_ID, JSON.stringify({ id: this.id, until }));
      if (lease?.id !== this.id) this.#o.logger.info({ instance: this.id }, 'uptime: this instance records');
      this.#leaseUntil = until;
      return true;
    } finally {
      await lock.release();
    }
  }

  #hosts(): CompiledHost[] {
    const s = this.#o.holder.current;
    return [...s.exact.values(), ...s.wildcards.values()];
  }

  async #read(host: CompiledHost, now: number): Promise<UptimeRecord> {
    const found = decodeRecord(await this.#o.store.get('uptime', host.name));
    const record = found ?? emptyRecord(host.name, host.agency, now);
    if (host.agency !== undefined) record.agency = host.agency;
    else delete record.agency;
    return record;
  }

  async #evaluate(now: number): Promise<void> {
    if (this.#leaseUntil <= now) return;
    for (const host of this.#hosts()) {
      const down = statusOf(host) === 'down';
      if (this.#written.get(host.name) === down) continue;
      const record = await this.#read(host, now);
      const open = openIncident(record);
      // An incident left open by a writer that stopped watching: trusted only up to when it last wrote.
      if (open !== undefined && now - record.lastSeen > this.#leaseMs + this.#slotMs)
        open.end = record.lastSeen;
      const still = openIncident(record);
      if (down && still === undefined) record.incidents.push({ start: now, cause: causeOf(host) });
      if (!down && still !== undefined) still.end = now;
      record.lastSeen = now;
      pruneIncidents(record, now);
      await this.#o.store.put('uptime', host.name, JSON.stringify(record));
      this.#written.set(host.name, down);
    }
  }

  async #closeMinute(slotStart: number, now: number): Promise<void> {
    const totals = (await this.#o.trafficErrors?.()) ?? new Map<string, number>();
    for (const host of this.#hosts()) {
      const record = await this.#read(host, now);
      const errors = (totals.get(host.name) ?? 0) - (this.#lastErrors.get(host.name) ?? 0);
      closeMinute(record, slotStart, this.#slotMs, errors, now);
      record.lastSeen = now;
      await this.#o.store.put('uptime', host.name, JSON.stringify(record));
    }
    this.#lastErrors = totals;
  }
}
