/** A `rateLimit` compiled once per snapshot: GCRA's emission interval and capacity, the exempt addresses, the advertised policy. */
import type { RateLimit } from '../../model/rate-limit-schema.js';
import { type AccessPlan, compileAccessList } from '../policy/access-list.js';

const PERIOD_MS = { s: 1_000, m: 60_000, h: 3_600_000 } as const;

export interface RatePlan {
  /** What the counts are kept under: the host, or host and route path for a route's own limit (stable across snapshots). */
  readonly id: string;
  /** The registered host, for the metric label. */
  readonly hostName: string;
  /** GCRA's emission interval T: ms one request costs. */
  readonly intervalMs: number;
  /** burst × T: how far ahead of now an address's theoretical arrival time may run before it is refused. */
  readonly capacityMs: number;
  /** Addresses never limited; undefined = none. */
  readonly exempt: AccessPlan | undefined;
  /** The whole RateLimit-Policy field value (draft-ietf-httpapi-ratelimit-headers-11, §4). */
  readonly policyField: string;
}

/**
 * The draft's policy is a quota `q` per window `w` seconds: burst per the seconds a burst takes to refill when that
 * is whole (10/s burst 20 is q=20;w=2), else the rate as written (7/s burst 10 is q=7;w=1).
 */
function policyField(requests: number, periodMs: number, burst: number, capacityMs: number): string {
  return Number.isInteger(capacityMs / 1000) && capacityMs >= 1000
    ? `"default";q=${burst};w=${capacityMs / 1000}`
    : `"default";q=${requests};w=${periodMs / 1000}`;
}

/** undefined when neither the route nor the host sets a limit: such a route does no rate work at all. */
export function compileRateLimit(
  hostName: string,
  spec: RateLimit | undefined,
  id: string,
  field: string,
): RatePlan | undefined {
  if (spec === undefined) return undefined;
  const slash = spec.rate.indexOf('/');
  const requests = Number(spec.rate.slice(0, slash));
  const periodMs = PERIOD_MS[spec.rate.slice(slash + 1) as keyof typeof PERIOD_MS];
  const burst = spec.burst ?? requests;
  const intervalMs = periodMs / requests;
  const capacityMs = burst * intervalMs;
  return {
    id,
    hostName,
    intervalMs,
    capacityMs,
    exempt: compileAccessList({ allow: spec.exempt ?? [] }, `${field}/exempt`),
    policyField: policyField(requests, periodMs, burst, capacityMs),
  };
}
