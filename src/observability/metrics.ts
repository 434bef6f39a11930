/** Metric definitions (prom-client): every gerbang_* series lives here, with label sets bounded by construction. */
import { readFileSync } from 'node:fs';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { BoundCounter, BoundHistogram } from './bound-metrics.js';
import { UsageMeter } from './usage-meter.js';

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

function readVersion(): string {
  // src/observability/ in development, dist/src/observability/ once built: package.json is two or three up.
  for (const up of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'gerbang' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

export const GERBANG_VERSION = readVersion();

/** Label value for the agency of an unknown host, or of a host DKISP runs itself (no agency). */
export const NO_AGENCY = 'none';

/** Per public listener (`http`, `https`): live counts read at scrape time, so the hot path only bumps numbers. */
export interface ListenerStats {
  connections: number;
  inFlight: number;
}

export class GatewayMetrics {
  readonly registry = new Registry();

  /** Filled by observeListener(); the two gauges below read it when Prometheus scrapes. */
  readonly listeners = new Map<string, ListenerStats>();

  /** The usage report's counts per host and day (issue 18): in every process that serves, flushed to the store. */
  readonly usage = new UsageMeter();

  // The five hot-path series are bound metrics: a request bumps plain numbers (see bound-metrics.ts).
  readonly requests = new BoundCounter({
    name: 'gerbang_requests_total',
    help: 'Requests answered, by registered host, agency, method and status class.',
    labelNames: ['host', 'agency', 'method', 'code'] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new BoundHistogram({
    name: 'gerbang_request_duration_seconds',
    help: 'Time from request to the end of the response, by host.',
    labelNames: ['host'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamDuration = new BoundHistogram({
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

  // Policies of issue 16; rule and action come from fixed sets (probe-rules.ts), host from the snapshot.
  readonly probeFilterMatches = new Counter({
    name: 'gerbang_probe_filter_matches_total',
    help: 'Requests that matched a probe rule, by host, rule and action (detect, block).',
    labelNames: ['host', 'rule', 'action'] as const,
    registers: [this.registry],
  });

  // Defacement watch (issue 18): host from the snapshot, rule from the compiled rule set (built-in + config).
  readonly defacementFindings = new Counter({
    name: 'gerbang_defacement_findings_total',
    help: 'HTML pages that matched a defacement rule (gambling spam, hidden link farms), by host and rule.',
    labelNames: ['host', 'rule'] as const,
    registers: [this.registry],
  });

  readonly defacementScans = new Counter({
    name: 'gerbang_defacement_scans_total',
    help: 'Defacement checks by outcome (scanned, dropped: queue full, skipped_encoded: compressed by the backend).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly defacementScannedBytes = new Counter({
    name: 'gerbang_defacement_scanned_bytes_total',
    help: 'Bytes of HTML handed to the defacement checks (at most defacement.maxScanBytes a page).',
    registers: [this.registry],
  });

  readonly accessDenied = new Counter({
    name: 'gerbang_access_denied_total',
    help: 'Requests refused by an access list, by host.',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  /** Never labelled by user or address: the series say that logins fail, not who tried. */
  readonly basicAuthFailures = new Counter({
    name: 'gerbang_basic_auth_failures_total',
    help: 'Requests whose basic-authentication credentials were refused, by host.',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'gerbang_rate_limited_total',
    help: 'Requests answered 429 by a host or route rate limit, by host.',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  /** Set by the data plane's rate limiter (rate-limits.ts): how many client keys it holds now. */
  rateLimitKeysNow: () => number = () => 0;

  readonly rateLimitKeys: Gauge = new Gauge({
    name: 'gerbang_rate_limit_keys',
    help: 'Client keys (address or /64, per host or route) the rate limiter holds; capped.',
    registers: [this.registry],
    collect: () => this.rateLimitKeys.set(this.rateLimitKeysNow()),
  });

  readonly rateLimitClusterSync = new Gauge({
    name: 'gerbang_rate_limit_cluster_sync',
    help: 'How rate limits count: 1 for the current state (cluster: through Redis; fallback: Redis away, this data plane keeps its share; local: no Redis).',
    labelNames: ['state'] as const,
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
  readonly storeSuspectEmpty = new Gauge({
    name: 'gerbang_store_suspect_empty',
    help: '1 while the store came back empty without deletions (flushed or replaced Redis): the last routes are kept until an admin confirms or restores.',
    registers: [this.registry],
  });

  readonly storeValueErrors = new Counter({
    name: 'gerbang_store_corrupt_values_total',
    help: 'Store values skipped because they did not parse or validate.',
    labelNames: ['ns'] as const,
    registers: [this.registry],
  });

  readonly requestBytes = new BoundCounter({
    name: 'gerbang_request_bytes_total',
    help: 'Bytes received from clients (request line, headers and body), by agency.',
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  readonly responseBytes = new BoundCounter({
    name: 'gerbang_response_bytes_total',
    help: 'Bytes sent to clients (status line, headers and body), by agency.',
    labelNames: ['agency'] as const,
    registers: [this.registry],
  });

  readonly requestsInFlight: Gauge<'listener'> = new Gauge({
    name: 'gerbang_requests_in_flight',
    help: 'Requests received and not yet answered, by public listener.',
    labelNames: ['listener'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [listener, stats] of this.listeners) this.requestsInFlight.set({ listener }, stats.inFlight);
    },
  });

  readonly connectionsCut = new Counter({
    name: 'gerbang_connections_cut_total',
    help: 'Client connections closed by the listener caps: over the per-address cap, silent past the first-byte timeout, or an HTTP/2 session cut (h2_rapid_reset, h2_idle, h2_settings_timeout).',
    labelNames: ['listener', 'reason'] as const,
    registers: [this.registry],
  });

  /** A label of its own metric rather than a new label on gerbang_requests_total, whose series stay as they were. */
  readonly requestsByProtocol = new BoundCounter({
    name: 'gerbang_requests_by_protocol_total',
    help: 'Requests received by public listener and protocol (http/1.1, h2): how much of the traffic HTTP/2 carries.',
    labelNames: ['listener', 'protocol'] as const,
    registers: [this.registry],
  });

  readonly openConnections: Gauge<'listener'> = new Gauge({
    name: 'gerbang_open_connections',
    help: 'Client connections open now, by public listener.',
    labelNames: ['listener'] as const,
    registers: [this.registry],
    collect: () => {
      for (const [listener, stats] of this.listeners)
        this.openConnections.set({ listener }, stats.connections);
    },
  });

  readonly buildInfo = new Gauge({
    name: 'gerbang_build_info',
    help: 'Always 1; the labels tell which Gerbang and Node.js versions run.',
    labelNames: ['version', 'node'] as const,
    registers: [this.registry],
  });

  /** The stats slot of a listener, created on first use. */
  listener(name: string): ListenerStats {
    let stats = this.listeners.get(name);
    if (stats === undefined) {
      stats = { connections: 0, inFlight: 0 };
      this.listeners.set(name, stats);
    }
    return stats;
  }

  readonly tlsCertificateNotAfter = new Gauge({
    name: 'gerbang_tls_certificate_not_after_seconds',
    help: 'Unix time a served certificate expires, by host and source (acme, uploaded).',
    labelNames: ['host', 'source'] as const,
    registers: [this.registry],
  });

  readonly acmeOrders = new Counter({
    name: 'gerbang_acme_orders_total',
    help: 'ACME orders placed by this instance, by result (success, failure).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly acmeRenewalsFailed = new Counter({
    name: 'gerbang_acme_renewals_failed_total',
    help: 'Failed ACME orders (first issuance or renewal), by host.',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  readonly acmeBackoff = new Gauge({
    name: 'gerbang_acme_backoff_seconds',
    help: 'Current delay before the next ACME attempt for a host after failures (0 when healthy).',
    labelNames: ['host'] as const,
    registers: [this.registry],
  });

  readonly tlsHandshakes = new Counter({
    name: 'gerbang_tls_handshakes_total',
    help: 'Completed TLS handshakes on the HTTPS listener, by protocol version.',
    labelNames: ['version'] as const,
    registers: [this.registry],
  });

  readonly cacheRequests = new BoundCounter({
    name: 'gerbang_cache_requests_total',
    help: 'Requests on caching routes by host and result (hit, miss, stale, revalidated, bypass).',
    labelNames: ['host', 'result'] as const,
    registers: [this.registry],
  });

  readonly compressionInputBytes = new BoundCounter({
    name: 'gerbang_compression_input_bytes_total',
    help: 'Body bytes of compressed responses before compression (as the backend wrote them), by host and encoding.',
    labelNames: ['host', 'encoding'] as const,
    registers: [this.registry],
  });

  readonly compressionOutputBytes = new BoundCounter({
    name: 'gerbang_compression_output_bytes_total',
    help: 'Body bytes of compressed responses as sent, by host and encoding (input minus output = bytes saved).',
    labelNames: ['host', 'encoding'] as const,
    registers: [this.registry],
  });

  readonly compressionRuns = new BoundCounter({
    name: 'gerbang_compression_runs_total',
    help: 'Bodies run through a compressor, by host, encoding and source (stream: a proxied body; stored: a cached body compressed once into a variant).',
    labelNames: ['host', 'encoding', 'source'] as const,
    registers: [this.registry],
  });

  readonly cacheStoredBytes = new Gauge({
    name: 'gerbang_cache_stored_bytes',
    help: 'Bytes held by the memory tier of the shared cache.',
    registers: [this.registry],
  });

  readonly cacheEntries = new Gauge({
    name: 'gerbang_cache_entries',
    help: 'URLs held by the memory tier of the shared cache.',
    registers: [this.registry],
  });

  readonly cacheEvictions = new Counter({
    name: 'gerbang_cache_evictions_total',
    help: 'Entries the memory tier dropped to stay within its byte bound.',
    registers: [this.registry],
  });

  /** Filled by the gateway: yields (host, target, up) for every target of the current snapshot at scrape time. */
  targetHealth: (() => Iterable<[host: string, target: string, up: boolean]>) | undefined;

  readonly targetUp: Gauge<'host' | 'target'> = new Gauge({
    name: 'gerbang_target_up',
    help: '1 when the target answers (active checks pass, not ejected, breaker not open, not still probing), by host and target.',
    labelNames: ['host', 'target'] as const,
    registers: [this.registry],
    collect: () => {
      const source = this.targetHealth;
      if (source === undefined) return;
      // Rebuilt whole: a removed host or target must not linger as a stale series.
      this.targetUp.reset();
      for (const [host, target, up] of source()) this.targetUp.set({ host, target }, up ? 1 : 0);
    },
  });

  readonly targetEjections = new Counter({
    name: 'gerbang_target_ejections_total',
    help: 'Targets taken out by passive checks, by target and reason (refused, timeout, failures, probe_failed).',
    labelNames: ['target', 'reason'] as const,
    registers: [this.registry],
  });

  readonly breakerOpens = new Counter({
    name: 'gerbang_circuit_breaker_open_total',
    help: 'Circuit breaker openings, by target and reason (error_ratio, latency, probe_failed).',
    labelNames: ['target', 'reason'] as const,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'gerbang_upstream_retries_total',
    help: 'Idempotent requests sent once more to another target after a refused or reset connection, by host.',
    labelNames: ['host', 'reason'] as const,
    registers: [this.registry],
  });

  readonly healthChecks = new Counter({
    name: 'gerbang_health_checks_total',
    help: 'Active health check probes by result (pass, fail).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: GERBANG_VERSION, node: process.version }, 1);
    // Present from the start, so `increase(...{result="failure"})` sees the first failure as a rise from 0.
    for (const result of ['success', 'failure']) this.routeTableReloads.inc({ result }, 0);
  }
}
