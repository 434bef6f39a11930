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
/**
 * A connection that has sent no byte this long after it opened (after its TLS handshake on HTTPS) is closed:
 * Node bounds a request only from its first byte. Above Chrome's 10 s for an unused preconnected socket, so a
 * browser's preconnect is never cut while it might still be used.
 */
export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 15_000;
/** The whole TLS handshake, from the TCP connection (Node's own default is 120 s). */
export const DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
/** HTTP/2 to clients (issue 15), after Envoy's edge recommendations: streams one connection may have open at once. */
export const DEFAULT_H2_MAX_CONCURRENT_STREAMS = 100;
/** Per-stream flow-control window (Envoy edge: 64 KiB): what one stream may send before Gerbang reads. */
export const DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES = 65_536;
/** Per-connection window (Envoy edge: 1 MiB): bounds what one client may have buffered in Gerbang at once. */
export const DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES = 1_048_576;
/** Decoded request header list (HPACK) per stream; the h1 bound (`limits.maxHeaderSize`) in spirit. */
export const DEFAULT_H2_MAX_HEADER_LIST_BYTES = 65_536;
/** A session with no open stream this long is closed with GOAWAY (Envoy edge: idle_timeout 900 s; browsers reconnect cheaply). */
export const DEFAULT_H2_IDLE_TIMEOUT_MS = 300_000;
/**
 * Rapid Reset (CVE-2023-44487): streams a client may reset before their response ended. Past this many, and
 * once they are half of the session's streams (Envoy's premature-reset rule), the session gets GOAWAY
 * ENHANCE_YOUR_CALM and is closed. A browser cancels a few streams when a page is left, never hundreds.
 */
export const DEFAULT_H2_MAX_CLIENT_RESETS = 100;
/**
 * Open connections one client address may hold on one listener (IPv6 counted per /64). Generous: an office
 * or a mobile carrier's NAT puts many citizens behind one address.
 */
export const DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
/** A request body that sends nothing for this long, while Gerbang is ready to take it, is cut with a 408. */
export const DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS = 20_000;
/**
 * Minimum rate of a request body (Apache mod_reqtimeout's MinRate): a body may spend the grace period plus
 * 1 s per this many bytes received waiting for its client; 500 B/s is 4 kbit/s, far below any real uplink.
 */
export const DEFAULT_REQUEST_BODY_MIN_BYTES_PER_S = 500;
export const DEFAULT_REQUEST_BODY_GRACE_MS = 20_000;
/**
 * A request body is read this far (or to its end, if shorter: most forms) before a backend connection is taken
 * for it, so a body that trickles holds no connection at all. Bounds memory: one such buffer per request.
 */
export const DEFAULT_REQUEST_BODY_PREFETCH_BYTES = 64 * 1024;
/**
 * Requests one client address may have in flight to one target at once; the excess gets a 429. An eighth of
 * the target's pool (DEFAULT_UPSTREAM_CONNECTIONS): one address can never take every connection of a backend.
 */
export const DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT = 32;

/** Graceful shutdown: how long in-flight requests may finish after SIGTERM. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;
/**
 * After SIGTERM, how long /readyz reports not ready while everything is still served, before the listeners stop
 * accepting: a load balancer notices only at its next check (often every 2–5 s), and until then sends traffic here.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;
export const MAX_SHUTDOWN_GRACE_MS = 600_000;
/**
 * After Gerbang's last answer on a connection it can no longer use (a refused or declined upgrade, a half-closed
 * tunnel), how long it waits for the client to close while discarding what it still sends; then it closes.
 * Closing at once with unread bytes makes the kernel send a reset, which can destroy the answer unread.
 */
export const DEFAULT_LINGERING_CLOSE_MS = 2_000;
/** What a client may send after its upgrade request before the backend's 101 (held for the tunnel); more waits in TCP. */
export const MAX_UPGRADE_EARLY_BYTES = 64 * 1024;

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
/**
 * The embedded store appends each write to a journal and folds it into the state file once the journal is
 * this big and at least as big as the state file itself: a write costs one append, the rewrite is amortised.
 */
export const DEFAULT_STORE_JOURNAL_COMPACT_BYTES = 8 * 1024 * 1024;

/** Admin API body limit: a host document with many routes stays far below this. */
export const DEFAULT_ADMIN_BODY_LIMIT = 256 * 1024;
/** POST /v1/import: a whole configuration with certificates and keys is larger than one host document. */
export const DEFAULT_IMPORT_BODY_LIMIT = 16 * 1024 * 1024;
/** Entries per section (agencies, hosts, certificates) of an imported configuration. */
export const MAX_IMPORT_ENTRIES = 10_000;
/** Konsol's host form: nesting a YAML/JSON part of a host document may have (the deepest field is far above). */
export const MAX_HOST_FORM_DEPTH = 32;

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
/**
 * Bytes a miss being stored may hold for a client slower than the backend, as a share of the memory tier (all
 * misses together): within it the body is stored at the backend's pace; past it, the client's pace applies.
 */
export const DEFAULT_CACHE_READ_AHEAD_FRACTION = 0.5;
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

/**
 * Compression at the edge (issue 15). Levels are for on-the-fly work: gzip 6 is zlib's own default; brotli 4
 * already beats gzip 6 on HTML at a similar cost (11 is for static assets built ahead); zstd 3 is zstd's default.
 */
export const DEFAULT_COMPRESSION_ENABLED = true;
export const DEFAULT_COMPRESSION_GZIP_LEVEL = 6;
export const DEFAULT_COMPRESSION_BROTLI_LEVEL = 4;
export const DEFAULT_COMPRESSION_ZSTD_LEVEL = 3;
/** Bodies shorter than this go as they are: below about a packet the framing costs more than it saves. */
export const DEFAULT_COMPRESSION_MIN_BYTES = 1024;
/** Brotli window (log2 bytes): 512 KiB bounds each on-the-fly compressor's memory while keeping most of the ratio. */
export const DEFAULT_COMPRESSION_BROTLI_WINDOW_BITS = 19;
/**
 * Responses one worker compresses as they stream, at once: each holds a compressor (about 1-2 MiB native with
 * brotli's window) for as long as its client takes to read. Beyond it a response goes as the backend wrote it, so
 * clients that never read cannot make the gateway hold compressors without bound.
 */
export const DEFAULT_MAX_COMPRESSING_RESPONSES = 256;
/** Accept-Encoding members looked at: a header of thousands of junk members costs no more than this. */
export const MAX_ACCEPT_ENCODING_MEMBERS = 32;

/** Registry (agencies, tokens, audit, target policy). */
/** How long a registration waits for DNS when checking a target name. */
export const DEFAULT_TARGET_RESOLVE_TIMEOUT_MS = 5_000;
/** How often an instance rewrites its listeners' record in the store (the data centre's own infrastructure). */
export const DEFAULT_INSTANCE_HEARTBEAT_MS = 10_000;
/** A record not rewritten for this long is of an instance that died without removing it: no longer refused. */
export const DEFAULT_INSTANCE_RECORD_TTL_MS = 35_000;
/** Failed admin authentications allowed per client address per window, before 429. */
export const DEFAULT_AUTH_FAILURE_LIMIT = 20;
export const DEFAULT_AUTH_FAILURE_WINDOW_MS = 60_000;
/** Client addresses whose failures are remembered at once (bounded memory under a spray of addresses). */
export const DEFAULT_AUTH_FAILURE_TRACKED = 10_000;
/** Random bytes in a token secret (base64url: 43 characters). */
export const TOKEN_SECRET_BYTES = 32;
/** Konsol passwords: scrypt cost (N, r, p), salt and key length; N=2^15 is about 50 ms and 32 MiB per hash. */
export const PASSWORD_SCRYPT_N = 32_768;
export const PASSWORD_SCRYPT_R = 8;
export const PASSWORD_SCRYPT_P = 1;
export const PASSWORD_SALT_BYTES = 16;
export const PASSWORD_KEY_BYTES = 32;
export const MIN_PASSWORD_LENGTH = 12;
/** TOTP second factor (RFC 6238): the common authenticator-app profile (SHA-1, 6 digits, 30 s). */
export const TOTP_SECRET_BYTES = 20;
export const TOTP_STEP_S = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now: a phone clock a little off still works, as RFC 6238 §5.2 suggests. */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_ISSUER = 'Gerbang';
/** An enrolment not confirmed within this time is dropped: the QR code was shown, never scanned. */
export const TOTP_PENDING_TTL_MS = 15 * 60_000;
/** Single-use recovery codes given at enrolment, each 50 random bits. */
export const TOTP_RECOVERY_CODES = 10;
export const MAX_PASSWORD_LENGTH = 200;
/** Konsol sessions: an absolute lifetime and an idle timeout, whichever comes first. */
export const DEFAULT_SESSION_LIFETIME_MS = 12 * 3_600_000;
export const DEFAULT_SESSION_IDLE_MS = 30 * 60_000;
/** A session's last use is written back at most this often (not on every page). */
export const DEFAULT_SESSION_TOUCH_MS = 60_000;
/** How long an instance trusts its local copy of a session: a user removed elsewhere is out within this. */
export const DEFAULT_SESSION_CACHE_MS = 1_000;
export const SESSION_SECRET_BYTES = 32;
/** Failed Konsol logins: the first free ones, then a delay that doubles per failure up to the maximum. */
export const DEFAULT_LOGIN_FREE_FAILURES = 3;
export const DEFAULT_LOGIN_BASE_DELAY_MS = 1_000;
export const DEFAULT_LOGIN_MAX_DELAY_MS = 15 * 60_000;
/** Accounts and addresses whose failures are remembered at once. */
export const DEFAULT_LOGIN_TRACKED = 10_000;
/** How long a host write holds its store lock, and how long it waits to get it. */
export const HOST_WRITE_LOCK_TTL_MS = 10_000;
export const HOST_WRITE_LOCK_WAIT_MS = 3_000;
/** A store restore or confirmation holds this lock, so two admins on two instances cannot interleave. */
export const STORE_RECOVERY_LOCK_TTL_MS = 60_000;
/** Limits on agency documents. */
export const MAX_AGENCY_OWNS = 64;
/** Audit queries: default and largest page. */
export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1_000;
/** Refused admin calls (401, 403, 429) are audited as one entry per address, reason and window, with a count. */
export const DEFAULT_AUDIT_REFUSAL_WINDOW_MS = 60_000;
/** Refusal entries opened per window at most; past it the rest are counted in one entry of address `*`. */
export const DEFAULT_AUDIT_REFUSAL_ENTRIES_PER_WINDOW = 100;
/** Audit retention: entries older than this are removed (days), and beyond this count the oldest go first. */
export const DEFAULT_AUDIT_MAX_AGE_DAYS = 400;
export const DEFAULT_AUDIT_MAX_ENTRIES = 20_000;
/** How often retention runs; it also runs after every tenth of `maxEntries` new entries. */
export const DEFAULT_AUDIT_PRUNE_INTERVAL_MS = 10 * 60_000;
/** A changed document is kept whole in its audit entry up to this size (bytes); a larger one as a bounded diff. */
export const DEFAULT_AUDIT_DOC_MAX_BYTES = 8 * 1024;
/** A bounded diff lists this many changed fields at most, each value cut to this many characters. */
export const MAX_AUDIT_DIFF_CHANGES = 50;
export const MAX_AUDIT_DIFF_VALUE_CHARS = 200;
/** Per-agency quotas on writes by its own tokens, when the agency document sets none (admins set `quota`). */
export const DEFAULT_AGENCY_QUOTA_HOSTS = 100;
export const DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST = 32;
/** Upper bound an admin may set an agency's host quota to (routes per host are bounded by MAX_ROUTES_PER_HOST). */
export const MAX_AGENCY_QUOTA_HOSTS = 100_000;
/** Retry-After of a maintenance page without `until` (seconds). */
export const DEFAULT_MAINTENANCE_RETRY_AFTER_S = 300;
/** Fresh memory hits and bodyless proxied requests are answered before fastify builds a request and a reply. */
export const DEFAULT_FAST_PATHS = true;
/** Zone the citizens' pages (directory, maintenance) show times in: Paser is WITA (UTC+8). */
export const DEFAULT_TIME_ZONE = 'Asia/Makassar';
/** The public service directory: served on `<label>.<first zone>` unless `directory.host` says otherwise. */
export const DEFAULT_DIRECTORY_LABEL = 'layanan';
/** Services per directory page (HTML and layanan.json): a page's size stays flat however many hosts exist. */
export const DEFAULT_DIRECTORY_PAGE_SIZE = 100;
/** Longest search text the directory accepts (`?q=`); longer is a 400. */
export const MAX_DIRECTORY_QUERY_LENGTH = 100;
/** Rendered directory pages kept (searches included; ≤ ~70 KB each with both forms): dropped on any change. */
export const DEFAULT_DIRECTORY_RENDERED_PAGES = 128;

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
/**
 * TLS session ticket keys (issue 15) are shared by every worker and instance and replaced this often. A key lives
 * two periods (current, then previous): a ticket outlives no rotation it needs (Node's sessions last 300 s), and a
 * leaked key opens at most two hours of TLS 1.2 sessions.
 */
export const DEFAULT_TLS_TICKET_KEY_ROTATION_MS = 3_600_000;
/** The bounds of `tls.ticketKeyRotationMs`: a second (tests) to a week. */
export const MIN_TLS_TICKET_KEY_ROTATION_MS = 1_000;
export const MAX_TLS_TICKET_KEY_ROTATION_MS = 7 * 24 * 3_600_000;
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

/** Probe filter mode of a host that sets none (issue 16): probes are logged and counted, never answered by Gerbang. */
export const DEFAULT_PROBE_FILTER_MODE = 'detect' as const;
/** Entries of one access list (`allow` or `deny`): a BlockList check stays cheap and a document stays readable. */
export const MAX_ACCESS_LIST_ENTRIES = 256;
/** Client addresses kept parsed for access-list checks (one SocketAddress each, ~0.2 KB): cleared whole when full. */
export const MAX_PARSED_ADDRESSES = 10_000;

/** Rate limits (issue 16, src/data/limits/rate-*.ts): the burst of a `rateLimit` that names none is one period's requests. */
export const MAX_RATE_LIMIT_BURST = 1_000_000;
/** Client keys (address or /64, per host or route) one data plane remembers: the hard cap 100,000 passing addresses meet. */
export const DEFAULT_RATE_LIMIT_MAX_KEYS = 20_000;
/** Each data plane adds its counts into Redis and reads the cluster's back this often; no request waits on it. */
export const DEFAULT_RATE_LIMIT_SYNC_INTERVAL_MS = 150;
/** A sync that takes longer counts as failed: the data plane falls back to its share of the limit (a busy event loop adds to it). */
export const DEFAULT_RATE_LIMIT_SYNC_TIMEOUT_MS = 1_000;
/** Keys one sync sends at most (the busiest are the ones that matter; the others wait for the next). */
export const DEFAULT_RATE_LIMIT_SYNC_MAX_KEYS = 2_000;
/** The cluster counter of a key counts in windows this long (one Redis key per key and window, with a TTL). */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 60_000;
/** A data plane that has not synced for this long is no longer counted among the live ones. */
export const DEFAULT_RATE_LIMIT_LIVE_MS = 2_000;

/** Header policy (issue 16): rules per list (`set`, `setIfAbsent`, `remove`), and the bounds of a name and a value. */
export const MAX_HEADER_RULES = 32;
export const MAX_HEADER_NAME_LENGTH = 64;
export const MAX_HEADER_VALUE_LENGTH = 1024;
/** Whether a host without `headers.defaults` gets the default policy (security fields when absent, banners removed). */
export const DEFAULT_HEADER_DEFAULTS = true;
/** Fields the default policy adds when the backend set none: safe for legacy pages (framing by the same site only). */
export const DEFAULT_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'SAMEORIGIN',
};
/** Version banners the default policy removes (`Server` keeps its product name, its versions go). */
export const DEFAULT_REMOVED_BANNERS: readonly string[] = [
  'x-powered-by',
  'x-aspnet-version',
  'x-aspnetmvc-version',
];
/** A Server product name longer than this is not a name: the whole field goes. */
export const MAX_SERVER_PRODUCT_LENGTH = 64;
/** An agency's own text on one branded page, per language (plain text, escaped). */
export const MAX_ERROR_PAGE_TEXT_LENGTH = 300;

/** Aliases and redirects (issue 16): bounds of a host document, and the longest chain of redirects allowed. */
export const MAX_ALIASES_PER_HOST = 32;
export const MAX_REDIRECTS_PER_HOST = 64;
/** A chain of Gerbang's own redirects longer than this is refused as a loop (browsers give up near 20). */
export const MAX_REDIRECT_HOPS = 10;
/** What an alias or a redirect answers when the document names no status: permanent, method kept. */
export const DEFAULT_REDIRECT_STATUS = 308;

/** Basic authentication (issue 16): users per list, the realm shown when none is set, the bcrypt cost of new hashes. */
export const MAX_BASIC_AUTH_USERS = 256;
export const MAX_HTPASSWD_BYTES = 65_536;
export const DEFAULT_BASIC_AUTH_REALM = 'Gerbang';
/** Positive verifications remembered (per process), keyed by an HMAC of the credentials: a valid user pays the hash once. */
export const BASIC_AUTH_CACHE_ENTRIES = 1_024;
export const BASIC_AUTH_CACHE_TTL_MS = 600_000;
/** Slow hashes run at most this many at once in the whole process; a queue beyond it is answered 401 at once. */
export const BASIC_AUTH_VERIFY_CONCURRENCY = 2;
export const BASIC_AUTH_VERIFY_QUEUE = 64;
/** A failed login is answered after base * 2^(failures-1) ms, at most max; one address runs one hash at a time. */
export const BASIC_AUTH_FAILURE_BASE_DELAY_MS = 200;
export const BASIC_AUTH_FAILURE_MAX_DELAY_MS = 2_000;
/** An address's failures are forgotten after this quiet time; at most this many addresses are tracked (oldest go). */
export const BASIC_AUTH_FAILURE_WINDOW_MS = 300_000;
export const BASIC_AUTH_TRACKED_ADDRESSES = 10_000;

/** Uptime kept (issue 18): minute slots for a day, hour slots (of 60 minutes) for 90 days, exact incidents for 90 days. */
export const DEFAULT_UPTIME_SLOT_MS = 60_000;
export const UPTIME_MINUTE_SLOTS = 1_440;
export const UPTIME_MINUTES_PER_HOUR = 60;
export const UPTIME_HOUR_SLOTS = 2_160;
export const UPTIME_RETENTION_MS = 90 * 86_400_000;
export const UPTIME_MAX_INCIDENTS = 1_000;
/** How often hosts are looked at besides every health verdict (passive ejection, new hosts), and the writer lease. */
export const DEFAULT_UPTIME_POLL_MS = 1_000;
export const DEFAULT_UPTIME_LEASE_MS = 15_000;
/** How often the control plane recomputes the directory's 90-day uptime bars from the store (off the request path). */
export const DEFAULT_UPTIME_SUMMARY_INTERVAL_MS = 60_000;
/** Days of the directory's uptime bar. */
export const UPTIME_SUMMARY_DAYS = 90;
/** Onboarding probe of a legacy portal (POST /v1/onboard): the whole probe's time, redirects followed, body read for the title. */
export const DEFAULT_ONBOARD_TIMEOUT_MS = 10_000;
export const MAX_ONBOARD_TIMEOUT_MS = 30_000;
export const MAX_ONBOARD_REDIRECTS = 5;
export const MAX_ONBOARD_BODY_BYTES = 256 * 1024;

/** Usage report (issue 18): how often each process adds its counted deltas to the store's counters. */
export const DEFAULT_USAGE_FLUSH_INTERVAL_MS = 10_000;
/** Usage months kept (this one included): two budget years; older months are removed. */
export const DEFAULT_USAGE_RETENTION_MONTHS = 25;
/** How often old usage months are looked for and removed. */
export const DEFAULT_USAGE_PRUNE_INTERVAL_MS = 6 * 3_600_000;
/** Traffic view (issue 17): UTC hours of per-host counters kept (this one included); older hours are removed. */
export const DEFAULT_TRAFFIC_HOURS = 48;
/** Hours Konsol's traffic page shows when none are asked for (the host page shows as many). */
export const DEFAULT_TRAFFIC_PAGE_HOURS = 24;
/** How often hours that left the traffic window are removed. */
export const DEFAULT_TRAFFIC_PRUNE_INTERVAL_MS = 10 * 60_000;

/** Defacement watch (issue 18): on unless `defacement.enabled: false`. */
export const DEFAULT_DEFACEMENT_ENABLED = true;
/** At most one proxied HTML response per host per this interval is copied and checked (cache fills: every one). */
export const DEFAULT_DEFACEMENT_SAMPLE_INTERVAL_MS = 60_000;
/** Bytes of one page that are checked: the first half and the last half (spam hides in footers), never more. */
export const DEFAULT_DEFACEMENT_MAX_SCAN_BYTES = 256 * 1024;
/** Pages waiting for their check at most; more are dropped and counted (the queue's memory stays bounded). */
export const DEFAULT_DEFACEMENT_QUEUE_SIZE = 16;
/** Latest findings kept per host in the store. */
export const DEFAULT_DEFACEMENT_FINDINGS_PER_HOST = 20;
/** Extra rules of the config file at most. */
export const MAX_DEFACEMENT_RULES = 100;
