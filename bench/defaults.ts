/** Every default of the bench harness, named, in one place. */

/** Load shape: one wrk thread is enough for one pinned core; 64 connections keep a Node proxy saturated. */
export const DEFAULT_SECONDS = 10;
export const QUICK_SECONDS = 3;
export const DEFAULT_WARMUP_SECONDS = 3;
export const QUICK_WARMUP_SECONDS = 1;
export const DEFAULT_CONNECTIONS = 64;
export const DEFAULT_THREADS = 1;
/** A load generator still running this long after its duration is killed (and the case fails, named). */
export const LOAD_GRACE_MS = 30_000;
/** Measured runs per case; the report takes the median of each figure (p99 on a shared VM is noisy). */
export const DEFAULT_RUNS = 1;

/** Pinning (2 cores): the proxy under test alone on one core, backend + load generator on the other. */
export const DEFAULT_PROXY_CPU = 0;
export const DEFAULT_LOAD_CPU = 1;

/** The backend's page. */
export const BODY_BYTES = 1024;
export const BODY_ETAG = '"bench-1k-v1"';
/** The compressible HTML page of the gzip cases (issue 15: 40 KiB). */
export const BIG_PAGE_BYTES = 40 * 1024;

/** Gerbang cases. */
export const BENCH_ZONE = 'paserkab.go.id';
export const BENCH_HOST = `bench.${BENCH_ZONE}`;
export const EXTRA_HOSTS = 10_000;
export const ADMIN_TOKEN_LENGTH = 32;
/** Gerbang's pool to the origin, above the most requests the load has in flight (HTTP/2: 64 connections × 10 streams). */
export const BENCH_BACKEND_CONNECTIONS = 1024;
export const READY_TIMEOUT_MS = 30_000;
export const READY_TIMEOUT_10K_MS = 120_000;
export const READY_POLL_MS = 100;
export const CHILD_READY_TIMEOUT_MS = 15_000;
/** How long a child may take to exit on SIGTERM (Gerbang drains for up to 10 s) before SIGKILL. */
export const STOP_TIMEOUT_MS = 12_000;

/** Peers (nginx, HAProxy, Caddy, http-proxy): pooled upstream connections, as many as the load's connections. */
export const UPSTREAM_KEEPALIVE = 64;
export const PEER_READY_TIMEOUT_MS = 15_000;

/** TLS cases: the run's self-signed certificate lives this long (it is made anew every run). */
export const BENCH_TLS_DAYS = 2;
/** HTTP/2 cases: h2load's concurrent streams per connection (issue 15: "-c64 -m10 or so"). */
export const H2_STREAMS = 10;
/** HTTP/2 warm-up: requests per stream slot (64 × 10 × 5 = 3,200 requests), before any rate is known. */
export const H2_WARMUP_REQUESTS_PER_STREAM = 5;
/** gzip cases: the level nginx gets, the same as Gerbang's DEFAULT_COMPRESSION_GZIP_LEVEL (zlib's own default), so both do the same work. */
export const BENCH_GZIP_LEVEL = 6;

/** The fixed offered load: this fraction of the case's own peak in the same round (issue 19: half). */
export const FIXED_LOAD_FRACTION = 0.5;
/** backend-direct must serve this many times a proxy case's requests/s, or the case is "not comparable". */
export const MIN_ORIGIN_HEADROOM = 1.3;
/** Issue 19: Gerbang's p99 at half load may be at most this far above the origin's own p99 at the same rate. */
export const MAX_P99_OVER_ORIGIN_MS = 1;

/** Cases with a cache: the probe primes it, then one more request must say it hit. */
export const GERBANG_HIT_PATTERN = /\bhit\b/;

/** Cluster: a worker's share of the requests may be this far from an even split (issue 7: within 10 %). */
export const CLUSTER_WORKERS = 2;
export const MAX_WORKER_SPREAD = 0.1;
/** Gerbang batches log lines for up to 200 ms; wait this long so a run's lines are all in (or all out of) the file. */
export const LOG_SETTLE_MS = 500;

/** Scale with routes: hosts in the small table compared against the 10,000-host one. */
export const FEW_HOSTS = 10;
/** Propagation: PUTs of a new host through the admin API, each timed until the public port routes it. */
export const PROPAGATION_SAMPLES = 5;
export const PROPAGATION_POLL_MS = 2;
export const PROPAGATION_TIMEOUT_MS = 10_000;
/** Seconds of background load while the propagation is measured (it is measured under load). */
export const PROPAGATION_LOAD_SECONDS = 6;
/** Fresh connections in a row that must route the new host before it counts as everywhere (cluster: every worker). */
export const PROPAGATION_CONFIRMATIONS = 4;

/** cpu-per-request.ts: requests per round (a warm-up round of as many first), rounds, the load's connections. */
export const CPU_REQUESTS = 20_000;
export const CPU_ROUNDS = 5;
export const CPU_CONNECTIONS = 64;
export const CPU_CASES = ['gerbang', 'node-http-undici', 'gerbang-cache-hit', 'node-http-page'] as const;
/** A cpu-per-request round still running after this is killed and the run fails (a hung case, not a slow one). */
export const CPU_ROUND_TIMEOUT_MS = 120_000;

/** Where the summary is written, relative to the repository root (gitignored). */
export const RESULTS_FILE = 'bench/results/latest.json';
