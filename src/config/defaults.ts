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

/** How long a target that refused a connection is skipped by round robin. */
export const DEFAULT_REFUSED_SKIP_MS = 5_000;

/** Public listener protections against slow or oversized clients. */
export const DEFAULT_MAX_HEADER_SIZE = 16 * 1024;
export const DEFAULT_HEADERS_TIMEOUT_MS = 20_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_REQUESTS_PER_SOCKET = 0;

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
