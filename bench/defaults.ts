/** Every default of the bench harness, named, in one place. */

/** Load shape: one wrk thread is enough for one pinned core; 64 connections keep a Node proxy saturated. */
export const DEFAULT_SECONDS = 10;
export const QUICK_SECONDS = 3;
export const DEFAULT_WARMUP_SECONDS = 3;
export const QUICK_WARMUP_SECONDS = 1;
export const DEFAULT_CONNECTIONS = 64;
export const DEFAULT_THREADS = 1;
/** Measured runs per case; the report takes the median of each figure (p99 on a shared VM is noisy). */
export const DEFAULT_RUNS = 1;

/** Pinning (2 cores): the proxy under test alone on one core, backend + load generator on the other. */
export const DEFAULT_PROXY_CPU = 0;
export const DEFAULT_LOAD_CPU = 1;

/** The backend's page. */
export const BODY_BYTES = 1024;
export const BODY_ETAG = '"bench-1k-v1"';

/** Gerbang cases. */
export const BENCH_ZONE = 'paserkab.go.id';
export const BENCH_HOST = `bench.${BENCH_ZONE}`;
export const EXTRA_HOSTS = 10_000;
export const ADMIN_TOKEN_LENGTH = 32;
export const READY_TIMEOUT_MS = 30_000;
export const READY_TIMEOUT_10K_MS = 120_000;
export const READY_POLL_MS = 100;
export const CHILD_READY_TIMEOUT_MS = 15_000;
/** How long a child may take to exit on SIGTERM (Gerbang drains for up to 10 s) before SIGKILL. */
export const STOP_TIMEOUT_MS = 12_000;

/** Peers (nginx, HAProxy, Caddy, http-proxy): pooled upstream connections, as many as the load's connections. */
export const UPSTREAM_KEEPALIVE = 64;
export const PEER_READY_TIMEOUT_MS = 15_000;

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

/** Where the summary is written, relative to the repository root (gitignored). */
export const RESULTS_FILE = 'bench/results/latest.json';
