/** Per host and UTC hour, in memory: what the usage report (per day) and the traffic view (per hour) count, bumped on the request path and taken as deltas by the flusher. */
import { bucketSlot, F, SLOT_COUNT, SLOT_NAMES } from './usage-fields.js';

/** What the meter reads of a routed host. */
export interface MeteredHost {
  readonly name: string;
  readonly agency: string | undefined;
}

/** Counts of one agency, host and UTC hour since the previous take: only the counters that moved. */
export interface UsageDelta {
  day: string;
  /** `YYYY-MM-DDTHH`, the UTC hour the counts fell in (inside `day`). */
  hour: string;
  /**
   * The one record these counts still have to be added to, when the store took the other one (the day's or the
   * hour's) already; absent: both.
   */
  only?: 'day' | 'hour';
  agency: string;
  host: string;
  counts: Record<string, number>;
}

const HOUR_MS = 3_600_000;

/** `YYYY-MM-DD` of a UTC instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH` of a UTC instant. */
export function utcHour(ms: number): string {
  return new Date(ms).toISOString().slice(0, 13);
}

class HostUsage {
  readonly slots = new Float64Array(SLOT_COUNT);
  readonly day: string;
  readonly hour: string;
  /** First instant of the next UTC hour: a request past it closes this hour's counts (a day ends with an hour). */
  readonly hourEnd: number;
  constructor(
    readonly host: string,
    public agency: string,
    now: number,
  ) {
    this.hour = utcHour(now);
    this.day = this.hour.slice(0, 10);
    this.hourEnd = (Math.floor(now / HOUR_MS) + 1) * HOUR_MS;
  }
}

function deltaOf(usage: HostUsage): UsageDelta | undefined {
  const slots = usage.slots;
  let counts: Record<string, number> | undefined;
  for (let i = 0; i < slots.length; i++) {
    const n = slots[i] as number;
    if (n === 0) continue;
    counts ??= {};
    counts[SLOT_NAMES[i] as string] = n;
  }
  return counts === undefined
    ? undefined
    : { day: usage.day, hour: usage.hour, agency: usage.agency, host: usage.host, counts };
}

/**
 * O(1) per request and allocation-free for a host already seen this hour: one Map lookup and a few additions on a
 * Float64Array. A host's record is replaced (and the old one queued for the flusher) only when the hour or its
 * agency changes, so the meter holds at most one record per host, plus what closed since the last take.
 */
export class UsageMeter {
  readonly #hosts = new Map<string, HostUsage>();
  /**
   * Records closed by an hour or agency change, or given back after a failed flush, waiting for the next take;
   * merged per agency, host, hour and record still owed, so a store that stays down keeps this at one or two entries
   * per host per hour.
   */
  #closed = new Map<string, UsageDelta>();

  /**
   * One answered request of a routed host. `upstreamMs` < 0: no upstream answer; `fromCache`: true a cache hit's
   * body, false a cacheable request the backend answered (a miss), undefined a request the cache had no part in.
   */
  count(
    host: MeteredHost,
    status: number,
    bytesSent: number,
    upstreamMs: number,
    fromCache: boolean | undefined,
  ): void {
    const usage = this.#usageOf(host);
    const s = usage.slots;
    s[F.requests] = (s[F.requests] as number) + 1;
    s[F.bytesSent] = (s[F.bytesSent] as number) + bytesSent;
    if (fromCache === true) {
      s[F.cacheHits] = (s[F.cacheHits] as number) + 1;
      s[F.cacheBytes] = (s[F.cacheBytes] as number) + bytesSent;
    } else if (fromCache === false) s[F.cacheMisses] = (s[F.cacheMisses] as number) + 1;
    if (status >= 500) s[F.errors5xx] = (s[F.errors5xx] as number) + 1;
    if (upstreamMs >= 0) {
      s[F.upstreamTimed] = (s[F.upstreamTimed] as number) + 1;
      const b = bucketSlot(upstreamMs);
      s[b] = (s[b] as number) + 1;
    }
  }

  /** The backend failed (refused, reset, timed out): told by the observer's onUpstreamError. */
  upstreamFailure(host: MeteredHost): void {
    const s = this.#usageOf(host).slots;
    s[F.upstreamFailures] = (s[F.upstreamFailures] as number) + 1;
  }

  /** Bytes compression kept off the wire for a host (its body as the backend wrote it, less what was sent). */
  compressionSaved(hostName: string, bytes: number): void {
    const usage = this.#hosts.get(hostName);
    if (usage === undefined || !(bytes > 0)) return;
    usage.slots[F.compressionSaved] = (usage.slots[F.compressionSaved] as number) + bytes;
  }

  /** Everything counted since the previous take, reset to zero; hosts with nothing new are forgotten. */
  take(now = Date.now()): UsageDelta[] {
    const out = [...this.#closed.values()];
    this.#closed.clear();
    for (const [name, usage] of this.#hosts) {
      const delta = deltaOf(usage);
      if (delta === undefined) {
        // Idle since the last take (or a host since removed): the map stays as small as the live traffic.
        this.#hosts.delete(name);
        continue;
      }
      out.push(delta);
      usage.slots.fill(0);
      if (now >= usage.hourEnd) this.#hosts.delete(name);
    }
    return out;
  }

  /** Deltas the store refused: counted again with the next take, never lost and never twice. */
  giveBack(deltas: readonly UsageDelta[]): void {
    for (const delta of deltas) this.#close(delta);
  }

  #close(delta: UsageDelta): void {
    // A worker's delta without an hour (an older build, over IPC) counts for its day only.
    const hour = typeof delta.hour === 'string' ? delta.hour : undefined;
    const only = hour === undefined ? 'day' : delta.only;
    const key = `${hour ?? delta.day}\u0000${only ?? ''}\u0000${delta.agency}\u0000${delta.host}`;
    const known = this.#closed.get(key);
    if (known === undefined) {
      this.#closed.set(key, {
        day: delta.day,
        hour: hour ?? delta.day,
        ...(only !== undefined ? { only } : {}),
        agency: delta.agency,
        host: delta.host,
        counts: { ...delta.counts },
      });
      return;
    }
    for (const [field, n] of Object.entries(delta.counts))
      known.counts[field] = (known.counts[field] ?? 0) + n;
  }

  #usageOf(host: MeteredHost): HostUsage {
    const agency = host.agency ?? '';
    let usage = this.#hosts.get(host.name);
    const now = Date.now();
    if (usage === undefined) {
      usage = new HostUsage(host.name, agency, now);
      this.#hosts.set(host.name, usage);
    } else if (now >= usage.hourEnd || usage.agency !== agency) {
      const delta = deltaOf(usage);
      if (delta !== undefined) this.#close(delta);
      usage = new HostUsage(host.name, agency, now);
      this.#hosts.set(host.name, usage);
    }
    return usage;
  }
}
