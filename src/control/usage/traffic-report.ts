/** Reads the last hours of the traffic view's counters and sums them per agency and host, one row per hour (quiet hours as zeros). */
import type { TrafficField } from '../../observability/usage-fields.js';
import { utcHour } from '../../observability/usage-meter.js';
import type { Store } from '../../store/store.js';
import { windowStart } from './traffic-retention.js';
import { trafficGroup } from './usage-keys.js';

const HOUR_MS = 3_600_000;

/** The figures of one agency and host over an hour or the whole window. */
export interface TrafficFigures {
  requests: number;
  /** Responses with a 5xx status. */
  errors5xx: number;
  /** Refused, reset or timed-out backend attempts. */
  upstreamFailures: number;
  bytesSent: number;
  cacheHits: number;
  /** Cacheable requests the backend answered. */
  cacheMisses: number;
  /** Hits per cacheable request (hits and misses), 0 … 1; null without any. */
  cacheHitRatio: number | null;
}

export interface TrafficHour extends TrafficFigures {
  /** Start of the UTC hour, `YYYY-MM-DDTHH:00:00Z`. */
  hour: string;
}

export interface TrafficHostRow extends TrafficFigures {
  agency: string;
  host: string;
  /** Every hour of the window, oldest first. */
  hours: TrafficHour[];
}

export interface TrafficReport {
  hours: number;
  /** Start of the oldest hour shown. */
  from: string;
  generatedAt: string;
  hosts: TrafficHostRow[];
}

export interface TrafficQuery {
  hours: number;
  /** Only this agency's records (an agency member's view). */
  agency?: string | undefined;
  /** Only this host. */
  host?: string | undefined;
  now?: number;
}

type Raw = Partial<Record<TrafficField, number>>;

function figuresOf(raw: Raw): TrafficFigures {
  const hits = raw.cacheHits ?? 0;
  const misses = raw.cacheMisses ?? 0;
  return {
    requests: raw.requests ?? 0,
    errors5xx: raw.errors5xx ?? 0,
    upstreamFailures: raw.upstreamFailures ?? 0,
    bytesSent: raw.bytesSent ?? 0,
    cacheHits: hits,
    cacheMisses: misses,
    cacheHitRatio: hits + misses === 0 ? null : Math.round((hits / (hits + misses)) * 10_000) / 10_000,
  };
}

function addInto(into: Raw, from: Record<string, number>): void {
  for (const [field, n] of Object.entries(from)) {
    const key = field as TrafficField;
    into[key] = (into[key] ?? 0) + n;
  }
}

/** Records are `agency|host` in one group per hour (usage-keys.ts). */
export async function buildTrafficReport(store: Store, query: TrafficQuery): Promise<TrafficReport> {
  const now = query.now ?? Date.now();
  const start = windowStart(now, query.hours);
  const starts = Array.from({ length: query.hours }, (_, i) => start + i * HOUR_MS);
  const groups = await Promise.all(starts.map((at) => store.readCounters(trafficGroup(utcHour(at)))));
  const rows = new Map<string, { agency: string; host: string; total: Raw; hours: Raw[] }>();
  groups.forEach((records, i) => {
    for (const [record, counters] of records) {
      const cut = record.indexOf('|');
      if (cut < 0) continue;
      const agency = record.slice(0, cut);
      const host = record.slice(cut + 1);
      if (query.agency !== undefined && agency !== query.agency) continue;
      if (query.host !== undefined && host !== query.host) continue;
      const key = `${agency}|${host}`;
      let row = rows.get(key);
      if (row === undefined) {
        row = { agency, host, total: {}, hours: starts.map(() => ({})) };
        rows.set(key, row);
      }
      addInto(row.total, counters);
      addInto(row.hours[i] as Raw, counters);
    }
  });
  const sorted = [...rows.values()].sort((a, b) =>
    a.host === b.host ? (a.agency < b.agency ? -1 : 1) : a.host < b.host ? -1 : 1,
  );
  return {
    hours: query.hours,
    from: new Date(start).toISOString().replace('.000Z', 'Z'),
    generatedAt: new Date(now).toISOString(),
    hosts: sorted.map((row) => ({
      agency: row.agency,
      host: row.host,
      ...figuresOf(row.total),
      hours: row.hours.map((raw, i) => ({
        hour: new Date(starts[i] as number).toISOString().replace('.000Z', 'Z'),
        ...figuresOf(raw),
      })),
    })),
  };
}
