/** Reads one month of stored usage counters and sums them per agency and host, per day and for the month. */
import { BUCKET_FIELDS, p95FromBuckets, type USAGE_FIELDS } from '../../observability/usage-fields.js';
import type { Store } from '../../store/store.js';
import { usageGroup } from './usage-keys.js';

/** The figures of one agency and host over a day or a month. */
export interface UsageFigures {
  requests: number;
  bytesSent: number;
  /** Bytes of responses served from the cache: what the backends and the data centre's uplink did not carry. */
  bytesSavedByCache: number;
  /** Bytes compression kept off the wire (input less output). */
  bytesSavedByCompression: number;
  cacheHits: number;
  /** Cache hits per request, 0 … 1 (0 without requests). */
  cacheHitRatio: number;
  errors5xx: number;
  /** Refused, reset or timed-out backend attempts. */
  upstreamFailures: number;
  /** Upper bound (ms) of the bucket holding the 95th percentile of upstream response times; null without any. */
  p95UpstreamMs: number | null;
}

export interface UsageDay extends UsageFigures {
  day: string;
}

export interface UsageHostRow extends UsageFigures {
  agency: string;
  host: string;
  days: UsageDay[];
}

export interface UsageAgencyRow extends UsageFigures {
  agency: string;
}

export interface UsageReport {
  month: string;
  generatedAt: string;
  hosts: UsageHostRow[];
  agencies: UsageAgencyRow[];
}

type Raw = Record<string, number>;

function addInto(into: Raw, from: Raw): void {
  for (const [field, n] of Object.entries(from)) into[field] = (into[field] ?? 0) + n;
}

function figuresOf(raw: Raw): UsageFigures {
  const n = (field: (typeof USAGE_FIELDS)[number]): number => raw[field] ?? 0;
  const requests = n('requests');
  const p95 = p95FromBuckets(BUCKET_FIELDS.map((b) => raw[b] ?? 0));
  return {
    requests,
    bytesSent: n('bytesSent'),
    bytesSavedByCache: n('cacheBytes'),
    bytesSavedByCompression: n('compressionSaved'),
    cacheHits: n('cacheHits'),
    cacheHitRatio: requests === 0 ? 0 : Math.round((n('cacheHits') / requests) * 10_000) / 10_000,
    errors5xx: n('errors5xx'),
    upstreamFailures: n('upstreamFailures'),
    // JSON has no Infinity: the overflow bucket reads as its lower bound's next step, "slower than 30 s".
    p95UpstreamMs: p95 === undefined ? null : Number.isFinite(p95) ? p95 : 30_001,
  };
}

/** Records are `day|agency|host` (usage-keys.ts); `agency` narrows the report to one agency. */
export async function buildUsageReport(store: Store, month: string, agency?: string): Promise<UsageReport> {
  const records = await store.readCounters(usageGroup(month));
  const hosts = new Map<string, { agency: string; host: string; total: Raw; days: Map<string, Raw> }>();
  for (const [record, counters] of records) {
    const [day, recordAgency, host] = record.split('|');
    if (day === undefined || recordAgency === undefined || host === undefined) continue;
    if (agency !== undefined && recordAgency !== agency) continue;
    const key = `${recordAgency}|${host}`;
    let row = hosts.get(key);
    if (row === undefined) {
      row = { agency: recordAgency, host, total: {}, days: new Map() };
      hosts.set(key, row);
    }
    addInto(row.total, counters);
    const dayRaw = row.days.get(day) ?? {};
    addInto(dayRaw, counters);
    row.days.set(day, dayRaw);
  }
  const rows = [...hosts.values()].sort((a, b) =>
    a.agency === b.agency ? (a.host < b.host ? -1 : 1) : a.agency < b.agency ? -1 : 1,
  );
  const agencies = new Map<string, Raw>();
  for (const row of rows) {
    const sum = agencies.get(row.agency) ?? {};
    addInto(sum, row.total);
    agencies.set(row.agency, sum);
  }
  return {
    month,
    generatedAt: new Date().toISOString(),
    hosts: rows.map((row) => ({
      agency: row.agency,
      host: row.host,
      ...figuresOf(row.total),
      days: [...row.days.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, raw]) => ({ day, ...figuresOf(raw) })),
    })),
    agencies: [...agencies.entries()].map(([id, raw]) => ({ agency: id, ...figuresOf(raw) })),
  };
}
