/** Metric definitions (prom-client): every gerbang_* series lives here, with label sets bounded by construction. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** A proxy's latency spans 1 ms (a cache hit) to 30 s (a legacy portal's report page). */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Label value for every host that is not registered: a scanner cannot grow the series count. */
export const UNKNOWN_HOST = 'unknown';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

export function methodLabel(method: string): string {
  return KNOWN_METHODS.has(method) ? method : 'OTHER';
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: 'gerbang_requests_total',
    help: 'Requests answered, by registered host, agency, method and status class.',
    labelNames: ['host', 'agency', 'method', 'code'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: 'gerbang_request_duration_seconds',
    help: 'Time from request to the end of the response, by host.',
    labelNames: ['host'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gerbang_upstream_duration_seconds',
    help: 'Time until the backend sent its response headers, by host.',
    labelNames: ['host'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamErrors = new Counter({
    name: 'gerbang_upstream_errors_total',
    help: 'Failed backend requests by host and reason (refused, timeout, reset, tls, dns, other).',
    labelNames: ['host', 'reason'] as const,
    registers: [this.registry],
  });

  readonly routeTableHosts = new Gauge({
    name: 'gerbang_route_table_hosts',
    help: 'Hosts in the current route table.',
    registers: [this.registry],
  });

  readonly routeTableReloads = new Counter({
    name: 'gerbang_route_table_reloads_total',
    help: 'Route table rebuilds by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly routeTableLastReload = new Gauge({
    name: 'gerbang_route_table_last_reload_timestamp_seconds',
    help: 'Unix time of the last route table rebuild.',
    registers: [this.registry],
  });

  readonly storeConnected = new Gauge({
    name: 'gerbang_store_connected',
    help: '1 when the store (embedded or Redis) is reachable.',
    labelNames: ['store'] as const,
    registers: [this.registry],
  });

  readonly snapshotStaleness = new Gauge({
    name: 'gerbang_snapshot_staleness_seconds',
    help: 'Seconds since the route table was last known to match the store (0 while connected).',
    registers: [this.registry],
  });

  readonly storeValueErrors = new Counter({
    name: 'gerbang_store_corrupt_values_total',
    help: 'Store values skipped because they did not parse or validate.',
    labelNames: ['ns'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}
