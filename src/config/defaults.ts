/** Every default Gerbang uses, named, in one place. */

export const DEFAULT_CONFIG_PATH = 'config/gerbang.yaml';
export const DEFAULT_HTTP_PORT = 8080;
export const DEFAULT_HTTPS_PORT = 8443;
export const DEFAULT_ADMIN_HOST = '127.0.0.1';
export const DEFAULT_ADMIN_PORT = 9180;
export const DEFAULT_PUBLIC_HOST = '0.0.0.0';
export const DEFAULT_STATE_DIR = './data';
export const DEFAULT_ZONES: readonly string[] = ['paserkab.go.id'];
export const DEFAULT_LOG_LEVEL = 'info';
export const DEFAULT_REDIS_PREFIX = 'gerbang:';

/** Upstream timeouts (ms): legacy portals are slow, but a citizen should not wait forever. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_RESPONSE_TIMEOUT_MS = 30_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_UPSTREAM_KEEPALIVE_MS = 30_000;
export const DEFAULT_UPSTREAM_CONNECTIONS = 256;

/** Public listener protections against slow or oversized clients. */
export const DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 5_000;
/**
 * In cluster mode, requests per client connection before it is closed (nginx's keepalive_requests):
 * bench, 2 workers: per-worker request counts 11 % apart with no limit, 7 % with 1000, 3 % with 200,
 * 1 % with 100; a reconnect costs well under 1 % of 200 requests.
 */
export const DEFAULT_CLUSTER_MAX_REQUESTS_PER_CONNECTION = 200;
/** With one process there is no other worker to move to: no limit. */
export const DEFAULT_MAX_REQUESTS_PER_CONNECTION = 0;

/** Graceful shutdown: how long in-flight requests may finish after SIGTERM. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

/** Store resilience. */
export const DEFAULT_STORE_RETRY_MIN_MS = 200;
export const DEFAULT_STORE_RETRY_MAX_MS = 10_000;
export const DEFAULT_RESYNC_INTERVAL_MS = 60_000;
export const DEFAULT_CHANGE_FEED_MAXLEN = 10_000;
export const DEFAULT_CHANGE_FEED_BLOCK_MS = 2_000;
/** A store command that takes longer than this fails (STORE_UNAVAILABLE) instead of stalling an admin call. */
export const DEFAULT_STORE_COMMAND_TIMEOUT_MS = 2_000;
/** Bounds one connection attempt to Redis, so start() returns promptly when it is unreachable. */
export const DEFAULT_STORE_CONNECT_TIMEOUT_MS = 3_000;

/** Admin API body limit: a host document with many routes stays far below this. */
export const DEFAULT_ADMIN_BODY_LIMIT = 256 * 1024;

/** Limits on host documents. */
export const MAX_ROUTES_PER_HOST = 64;
export const MAX_TARGETS_PER_ROUTE = 32;
export const MAX_PATH_LENGTH = 512;

/** Shared cache (RFC 9111). The memory tier is per worker; a quarter of the default heap stays well clear of GC pressure. */
export const DEFAULT_CACHE_MEMORY_FRACTION = 0.25;
/** Responses larger than this are streamed but not stored. */
export const DEFAULT_CACHE_MAX_OBJECT_BYTES = 8 * 1024 * 1024;
/** Upper bound a route may raise its own max object size to. */
export const MAX_CACHE_OBJECT_BYTES = 256 * 1024 * 1024;
/** Responses up to this size are also put in the Redis tier for the other instances. */
export const DEFAULT_CACHE_REDIS_MAX_OBJECT_BYTES = 1024 * 1024;
/** A Redis tier lookup slower than this is abandoned: the backend is asked instead. */
export const DEFAULT_CACHE_REDIS_TIMEOUT_MS = 50;
/** How long a stale entry with validators is kept for revalidation (s), beyond its freshness and stale windows. */
export const DEFAULT_CACHE_STALE_RETAIN_S = 3600;
/** Variants (Vary) kept per URL: a client cannot fill the cache with one URL and random header values. */
export const DEFAULT_CACHE_MAX_VARIANTS = 16;
/** Upper bound of a host's serveStaleOnError window (s): one week. */
export const MAX_SERVE_STALE_ON_ERROR_S = 7 * 24 * 3600;

/** Registry (agencies, tokens, audit, target policy). */
/** How long a registration waits for DNS when checking a target name. */
export const DEFAULT_TARGET_RESOLVE_TIMEOUT_MS = 5_000;
/** Failed admin authentications allowed per client address per window, before 429. */
export const DEFAULT_AUTH_FAILURE_LIMIT = 20;
export const DEFAULT_AUTH_FAILURE_WINDOW_MS = 60_000;
/** Client addresses whose failures are remembered at once (bounded memory under a spray of addresses). */
export const DEFAULT_AUTH_FAILURE_TRACKED = 10_000;
/** Random bytes in a token secret (base64url: 43 characters). */
export const TOKEN_SECRET_BYTES = 32;
/** How long a host write holds its store lock, and how long it waits to get it. */
export const HOST_WRITE_LOCK_TTL_MS = 10_000;
export const HOST_WRITE_LOCK_WAIT_MS = 3_000;
/** Limits on agency documents. */
export const MAX_AGENCY_OWNS = 64;
/** Audit queries: default and largest page. */
export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1_000;
/** Retry-After of a maintenance page without `until` (seconds). */
export const DEFAULT_MAINTENANCE_RETRY_AFTER_S = 300;
/** The public service directory: served on `<label>.<first zone>` unless `directory.host` says otherwise. */
export const DEFAULT_DIRECTORY_LABEL = 'layanan';

/** TLS (public HTTPS listener): Mozilla "intermediate" ciphers; TLS 1.3 suites are listed first. */
export const DEFAULT_TLS_MIN_VERSION = 'TLSv1.2';
export const DEFAULT_TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');
/** Lifetime of the self-signed fallback certificate made at first start. */
export const DEFAULT_FALLBACK_CERT_DAYS = 3650;
/** Default HSTS max-age (seconds) when a host sets `hsts: true`: one year. */
export const DEFAULT_HSTS_MAX_AGE_S = 31_536_000;

/** ACME: renew when this fraction of a certificate's lifetime is left (a ratio, not a day count). */
export const DEFAULT_ACME_RENEW_RATIO = 1 / 3;
/** How often every instance looks for certificates to order or renew. */
export const DEFAULT_ACME_CHECK_INTERVAL_MS = 60_000;
/** First retry delay after a failed order; doubles per failure up to the cap. */
export const DEFAULT_ACME_BACKOFF_MIN_MS = 60_000;
export const DEFAULT_ACME_BACKOFF_MAX_MS = 6 * 3_600_000;
/** How long one instance holds a host's order lock; an order normally takes seconds. */
export const DEFAULT_ACME_LOCK_TTL_MS = 10 * 60_000;
/** Poll interval bounds while the CA validates and issues (acme-client's backoff). */
export const DEFAULT_ACME_POLL_MIN_MS = 500;
export const DEFAULT_ACME_POLL_MAX_MS = 10_000;
export const DEFAULT_ACME_POLL_ATTEMPTS = 12;
/** A DNS hook executable gets this long per call. */
export const DEFAULT_ACME_DNS_HOOK_TIMEOUT_MS = 60_000;
/** How long shutdown waits for an order in flight. */
export const DEFAULT_ACME_STOP_WAIT_MS = 5_000;
/** Largest PEM body accepted by PUT /v1/certificates/{host}. */
export const MAX_CERTIFICATE_PEM_LENGTH = 64 * 1024;

/** Upstream resilience (issue 7). Active health checks, per route; limits bound what a host document may ask for. */
export const DEFAULT_HEALTH_INTERVAL_MS = 10_000;
export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;
export const DEFAULT_HEALTHY_THRESHOLD = 2;
export const DEFAULT_UNHEALTHY_THRESHOLD = 3;
export const MIN_HEALTH_INTERVAL_MS = 200;
export const MAX_HEALTH_INTERVAL_MS = 300_000;
export const MIN_HEALTH_TIMEOUT_MS = 50;
export const MAX_HEALTH_THRESHOLD = 10;
/** Passive checks: this many consecutive failed answers (502/503/504, resets) eject a target; a refusal or a timeout ejects at once. */
export const DEFAULT_PASSIVE_FAILURES = 3;
/** First ejection period; each further ejection without a healthy spell between doubles it, up to the cap. */
export const DEFAULT_EJECT_BASE_MS = 5_000;
export const DEFAULT_EJECT_MAX_MS = 120_000;
/** A target healthy this long forgets its past ejections (the next one starts from the base period again). */
export const DEFAULT_EJECT_FORGET_MS = 60_000;
/** Circuit breaker per target: over a window of at least minRequests, an error ratio or a ratio of slow answers opens it. */
export const DEFAULT_BREAKER_WINDOW_MS = 10_000;
export const DEFAULT_BREAKER_MIN_REQUESTS = 20;
export const DEFAULT_BREAKER_ERROR_RATIO = 0.5;
export const DEFAULT_BREAKER_LATENCY_MS = 10_000;
export const DEFAULT_BREAKER_SLOW_RATIO = 0.5;
/** Successful probe requests (sent one at a time) that close a half-open target. */
export const DEFAULT_BREAKER_PROBES = 3;
/** Weight of a target without one (weights are 1..MAX_TARGET_WEIGHT). */
export const DEFAULT_TARGET_WEIGHT = 1;
export const MAX_TARGET_WEIGHT = 1_000;
/** Data-plane workers outside production (demo, tests): one process, exactly the single-process gateway. */
export const DEFAULT_WORKERS = 1;

/**
 * Log output: lines are batched up to this many bytes, and written at least this often. One access line per
 * request made 4 KiB batches a write every dozen requests, whose cost showed in the p99 (the bench: 71 → 20 ms);
 * sonic-boom caps a batch just under its 16 KiB maxWrite.
 */
export const LOG_BUFFER_BYTES = 16_000;
export const LOG_FLUSH_INTERVAL_MS = 200;
