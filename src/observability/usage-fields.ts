/** The counters kept per agency, host and day for the usage report (a few also per hour, for the traffic view), and the fixed upstream-time buckets its p95 is read from. */

/** Counter names as stored (short: Redis keeps one hash field per name per host per day). */
export const USAGE_FIELDS = [
  'requests',
  'bytesSent',
  'cacheHits',
  'cacheBytes',
  'compressionSaved',
  'errors5xx',
  'upstreamFailures',
  'upstreamTimed',
  'cacheMisses',
] as const;

export type UsageField = (typeof USAGE_FIELDS)[number];

/** Index of each counter in a meter's array. */
export const F = {
  requests: 0,
  bytesSent: 1,
  cacheHits: 2,
  cacheBytes: 3,
  compressionSaved: 4,
  errors5xx: 5,
  upstreamFailures: 6,
  upstreamTimed: 7,
  cacheMisses: 8,
} as const satisfies Record<UsageField, number>;

/**
 * The counters also kept per hour for the traffic view (issue 17): the few a chart of the last hours shows, so an
 * hour's record stays small. A cache miss is a cacheable request the backend answered.
 */
export const TRAFFIC_FIELDS = [
  'requests',
  'bytesSent',
  'cacheHits',
  'cacheMisses',
  'errors5xx',
  'upstreamFailures',
] as const satisfies readonly UsageField[];

export type TrafficField = (typeof TRAFFIC_FIELDS)[number];

/** Upper bounds (ms) of the upstream-time buckets, log-spaced; one more bucket takes everything slower. */
export const UPSTREAM_BUCKETS_MS = [
  1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
] as const;

/** Stored names of the buckets: `le1` … `le30000`, `leInf`. */
export const BUCKET_FIELDS: readonly string[] = [...UPSTREAM_BUCKETS_MS.map((ms) => `le${ms}`), 'leInf'];

export const SLOT_COUNT = USAGE_FIELDS.length + BUCKET_FIELDS.length;

/** Every stored name, in slot order. */
export const SLOT_NAMES: readonly string[] = [...USAGE_FIELDS, ...BUCKET_FIELDS];

/** The slot of an upstream time: a linear scan of 15 bounds beats a log on the hot path. */
export function bucketSlot(ms: number): number {
  let i = 0;
  while (i < UPSTREAM_BUCKETS_MS.length && ms > (UPSTREAM_BUCKETS_MS[i] as number)) i++;
  return USAGE_FIELDS.length + i;
}

/**
 * The 95th percentile from bucket counts: the upper bound of the bucket where the cumulative count reaches 95 %
 * (an over-estimate by at most one bucket's width); undefined without timed responses.
 */
export function p95FromBuckets(buckets: readonly number[]): number | undefined {
  let total = 0;
  for (const n of buckets) total += n;
  if (total === 0) return undefined;
  const rank = Math.ceil(total * 0.95);
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    seen += buckets[i] ?? 0;
    if (seen >= rank) return UPSTREAM_BUCKETS_MS[i] ?? Number.POSITIVE_INFINITY;
  }
  return Number.POSITIVE_INFINITY;
}
