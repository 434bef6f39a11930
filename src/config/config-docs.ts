/** What each key of the config file does, its default and the variable that overrides it: the prose of docs/configuration.md, checked against the schema by a test. */
import {
  DEFAULT_ADMIN_HOST,
  DEFAULT_ADMIN_PORT,
  DEFAULT_AUDIT_MAX_AGE_DAYS,
  DEFAULT_AUDIT_MAX_ENTRIES,
  DEFAULT_AUDIT_PRUNE_INTERVAL_MS,
  DEFAULT_AUDIT_REFUSAL_WINDOW_MS,
  DEFAULT_BREAKER_ERROR_RATIO,
  DEFAULT_BREAKER_LATENCY_MS,
  DEFAULT_BREAKER_MIN_REQUESTS,
  DEFAULT_BREAKER_PROBES,
  DEFAULT_BREAKER_SLOW_RATIO,
  DEFAULT_BREAKER_WINDOW_MS,
  DEFAULT_CACHE_MAX_OBJECT_BYTES,
  DEFAULT_CACHE_REDIS_MAX_OBJECT_BYTES,
  DEFAULT_CACHE_REDIS_TIMEOUT_MS,
  DEFAULT_DEFACEMENT_ENABLED,
  DEFAULT_DEFACEMENT_MAX_SCAN_BYTES,
  DEFAULT_DEFACEMENT_QUEUE_SIZE,
  DEFAULT_DEFACEMENT_SAMPLE_INTERVAL_MS,
  DEFAULT_DIRECTORY_LABEL,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_EJECT_BASE_MS,
  DEFAULT_EJECT_FORGET_MS,
  DEFAULT_EJECT_MAX_MS,
  DEFAULT_FAST_PATHS,
  DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  DEFAULT_H2_IDLE_TIMEOUT_MS,
  DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES,
  DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES,
  DEFAULT_H2_MAX_CLIENT_RESETS,
  DEFAULT_H2_MAX_CONCURRENT_STREAMS,
  DEFAULT_H2_MAX_HEADER_LIST_BYTES,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_HTTP_PORT,
  DEFAULT_HTTPS_PORT,
  DEFAULT_KEEPALIVE_TIMEOUT_MS,
  DEFAULT_LOG_LEVEL,
  DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT,
  DEFAULT_MAX_COMPRESSING_RESPONSES,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_PASSIVE_FAILURES,
  DEFAULT_PUBLIC_HOST,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REQUEST_BODY_GRACE_MS,
  DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS,
  DEFAULT_REQUEST_BODY_MIN_BYTES_PER_S,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RESYNC_INTERVAL_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_STATE_DIR,
  DEFAULT_TIME_ZONE,
  DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_TLS_TICKET_KEY_ROTATION_MS,
  DEFAULT_UPSTREAM_CONNECTIONS,
  DEFAULT_USAGE_FLUSH_INTERVAL_MS,
  DEFAULT_ZONES,
} from './defaults.js';

export interface KeyDoc {
  /** What the key does, for an operator. */
  what: string;
  /** The value when the key is absent (a constant of defaults.ts), or a sentence when it is derived. */
  default?: unknown;
  /** The GERBANG_* variable that wins over the key. */
  env?: string;
}

const listen = (
  what: string,
  port: number,
  env: string,
  host = DEFAULT_PUBLIC_HOST,
): Record<string, KeyDoc> => ({
  host: { what: `address the ${what} binds`, default: host },
  port: { what: `port of the ${what} (0: any free port)`, default: port, env },
});

/** Keyed by the flattened path of the key (`listen.http.port`). */
export const CONFIG_DOCS: Record<string, KeyDoc> = {
  zones: {
    what: 'DNS zones every registered host must lie in',
    default: DEFAULT_ZONES,
    env: 'GERBANG_ZONES',
  },
  stateDir: {
    what: 'the embedded store (store.json + store.journal), the last snapshot, the fallback certificate and the generated admin token',
    default: DEFAULT_STATE_DIR,
    env: 'GERBANG_STATE_DIR',
  },
  ...prefixed('listen.http', {
    ...listen('public HTTP listener', DEFAULT_HTTP_PORT, 'GERBANG_HTTP_PORT'),
    publicPort: {
      what: 'the port clients reach the HTTP listener on when it is not the bound one (NAT, container): told to backends',
      default: 'the bound port',
      env: 'GERBANG_HTTP_PUBLIC_PORT',
    },
  }),
  ...prefixed('listen.https', {
    ...listen('public HTTPS listener', DEFAULT_HTTPS_PORT, 'GERBANG_HTTPS_PORT'),
    publicPort: {
      what: 'the port clients reach the HTTPS listener on when it is not the bound one',
      default: 'the bound port',
      env: 'GERBANG_HTTPS_PUBLIC_PORT',
    },
  }),
  'listen.admin.host': {
    what: 'address of the admin API and Konsol (bind it to the office network only)',
    default: DEFAULT_ADMIN_HOST,
    env: 'GERBANG_ADMIN_HOST',
  },
  'listen.admin.port': {
    what: 'port of the admin API and Konsol',
    default: DEFAULT_ADMIN_PORT,
    env: 'GERBANG_ADMIN_PORT',
  },
  trustedProxies: { what: 'peers (addresses or CIDR) whose X-Forwarded-* headers are believed', default: [] },
  'redis.url': {
    what: 'redis://, rediss:// or redis+sentinel://h1:p,h2:p/master; unset: the embedded store',
    env: 'GERBANG_REDIS_URL',
  },
  'redis.prefix': { what: 'prefix of every key Gerbang writes', default: DEFAULT_REDIS_PREFIX },
  'redis.resyncIntervalMs': {
    what: 'how often every instance re-reads the whole store (heals missed feed entries, notices a flush)',
    default: DEFAULT_RESYNC_INTERVAL_MS,
  },
  'log.level': { what: 'pino level', default: DEFAULT_LOG_LEVEL, env: 'GERBANG_LOG_LEVEL' },
  'log.access': { what: 'one JSON access line per request', default: true },
  'limits.maxHeaderSize': {
    what: 'request header bytes, both listeners (431 beyond)',
    default: DEFAULT_MAX_HEADER_SIZE,
  },
  'limits.headersTimeoutMs': {
    what: 'time a client has to send its whole request head',
    default: DEFAULT_HEADERS_TIMEOUT_MS,
  },
  'limits.requestTimeoutMs': {
    what: 'time a client has to send its whole request (0: none)',
    default: DEFAULT_REQUEST_TIMEOUT_MS,
  },
  'limits.keepAliveTimeoutMs': {
    what: 'idle time before a client keep-alive connection is closed',
    default: DEFAULT_KEEPALIVE_TIMEOUT_MS,
  },
  'limits.drainTimeoutMs': {
    what: 'after the grace, how long in-flight requests may finish before connections are cut',
    default: DEFAULT_DRAIN_TIMEOUT_MS,
  },
  'limits.shutdownGraceMs': {
    what: 'after SIGTERM, how long /readyz answers 503 while requests are still served',
    default: DEFAULT_SHUTDOWN_GRACE_MS,
    env: 'GERBANG_SHUTDOWN_GRACE_MS',
  },
  'limits.maxRequestsPerConnection': {
    what: 'requests one client connection may carry before it is closed (HTTP/2: streams, then GOAWAY; 0: no limit)',
    default: '200 with several workers, else 0',
  },
  'limits.firstByteTimeoutMs': {
    what: 'a connection that sends no byte this long (after TLS on HTTPS) is closed',
    default: DEFAULT_FIRST_BYTE_TIMEOUT_MS,
  },
  'limits.tlsHandshakeTimeoutMs': {
    what: 'time a client has to finish the TLS handshake',
    default: DEFAULT_TLS_HANDSHAKE_TIMEOUT_MS,
  },
  'limits.maxConnectionsPerAddress': {
    what: 'open connections per client address and listener (IPv6 per /64; trusted proxies exempt)',
    default: DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
  },
  'limits.requestBodyIdleTimeoutMs': {
    what: 'a request body that sends nothing this long is cut (408)',
    default: DEFAULT_REQUEST_BODY_IDLE_TIMEOUT_MS,
  },
  'limits.requestBodyMinBytesPerS': {
    what: 'after the grace, a request body must average at least this rate or is cut (408)',
    default: DEFAULT_REQUEST_BODY_MIN_BYTES_PER_S,
  },
  'limits.requestBodyGraceMs': {
    what: 'time before the minimum body rate applies',
    default: DEFAULT_REQUEST_BODY_GRACE_MS,
  },
  'limits.backendConnections': {
    what: 'connections Gerbang opens at most to one target',
    default: DEFAULT_UPSTREAM_CONNECTIONS,
  },
  'limits.maxBackendRequestsPerClient': {
    what: 'requests one client address may have in flight to one target (429 beyond)',
    default: DEFAULT_MAX_BACKEND_REQUESTS_PER_CLIENT,
  },
  'limits.maxCompressingResponses': {
    what: 'responses one worker compresses as they stream at once (each holds a compressor while its client reads); beyond it they go as the backend wrote them (0: none)',
    default: DEFAULT_MAX_COMPRESSING_RESPONSES,
  },
  'tls.ticketKeyRotationMs': {
    what: 'how often the TLS session ticket key shared by every worker and instance is replaced (tickets under the previous key still resume once)',
    default: DEFAULT_TLS_TICKET_KEY_ROTATION_MS,
  },
  'http2.enabled': { what: 'offer HTTP/2 (ALPN h2) beside http/1.1 on the HTTPS listener', default: true },
  'http2.maxConcurrentStreams': {
    what: 'streams one HTTP/2 connection may have open at once (Envoy edge: 100)',
    default: DEFAULT_H2_MAX_CONCURRENT_STREAMS,
  },
  'http2.initialStreamWindowBytes': {
    what: 'flow-control window of each HTTP/2 stream (Envoy edge: 64 KiB)',
    default: DEFAULT_H2_INITIAL_STREAM_WINDOW_BYTES,
  },
  'http2.initialConnectionWindowBytes': {
    what: 'flow-control window of a whole HTTP/2 connection (Envoy edge: 1 MiB)',
    default: DEFAULT_H2_INITIAL_CONNECTION_WINDOW_BYTES,
  },
  'http2.maxHeaderListBytes': {
    what: 'decoded request header bytes of one HTTP/2 stream (431 beyond)',
    default: DEFAULT_H2_MAX_HEADER_LIST_BYTES,
  },
  'http2.idleTimeoutMs': {
    what: 'an HTTP/2 connection with no open stream this long gets GOAWAY and is closed',
    default: DEFAULT_H2_IDLE_TIMEOUT_MS,
  },
  'http2.maxClientResets': {
    what: 'streams a client may reset before their response ended (Rapid Reset); past it, and half of its streams, the connection gets GOAWAY ENHANCE_YOUR_CALM',
    default: DEFAULT_H2_MAX_CLIENT_RESETS,
  },
  'cache.memoryBytes': {
    what: 'memory tier bound per worker; 0 turns the cache off',
    default: 'a quarter of the heap limit',
  },
  'cache.maxObjectBytes': {
    what: 'largest response stored (larger ones stream through)',
    default: DEFAULT_CACHE_MAX_OBJECT_BYTES,
  },
  'cache.redis': { what: 'share stored responses through Redis (when Redis is configured)', default: true },
  'cache.redisMaxObjectBytes': {
    what: 'largest response put into the Redis tier',
    default: DEFAULT_CACHE_REDIS_MAX_OBJECT_BYTES,
  },
  'cache.redisTimeoutMs': {
    what: 'a Redis tier lookup slower than this is a miss',
    default: DEFAULT_CACHE_REDIS_TIMEOUT_MS,
  },
  'backends.allow': {
    what: 'loopback and private ranges targets may use (CIDR); none by default',
    default: [],
  },
  'backends.deny': {
    what: 'ranges targets may never use, whatever allow says (the data centre’s own services)',
    default: [],
  },
  'upstream.passive.failures': {
    what: 'consecutive failures that eject a target',
    default: DEFAULT_PASSIVE_FAILURES,
  },
  'upstream.passive.ejectBaseMs': {
    what: 'first ejection period (doubles with each trip)',
    default: DEFAULT_EJECT_BASE_MS,
  },
  'upstream.passive.ejectMaxMs': { what: 'longest ejection period', default: DEFAULT_EJECT_MAX_MS },
  'upstream.passive.forgetMs': {
    what: 'healthy time after which past trips are forgotten',
    default: DEFAULT_EJECT_FORGET_MS,
  },
  'upstream.breaker.windowMs': { what: 'window of the circuit breaker', default: DEFAULT_BREAKER_WINDOW_MS },
  'upstream.breaker.minRequests': {
    what: 'requests in a window before the breaker judges',
    default: DEFAULT_BREAKER_MIN_REQUESTS,
  },
  'upstream.breaker.errorRatio': {
    what: 'error share that opens the breaker',
    default: DEFAULT_BREAKER_ERROR_RATIO,
  },
  'upstream.breaker.latencyMs': {
    what: 'an answer slower than this counts as slow',
    default: DEFAULT_BREAKER_LATENCY_MS,
  },
  'upstream.breaker.slowRatio': {
    what: 'slow share that opens the breaker',
    default: DEFAULT_BREAKER_SLOW_RATIO,
  },
  'upstream.breaker.probes': { what: 'good probes that close it again', default: DEFAULT_BREAKER_PROBES },
  fastPaths: {
    what: 'answer fresh memory hits and bodyless proxied requests before fastify; false sends every request through fastify (the same answers, slower): for diagnosis',
    default: DEFAULT_FAST_PATHS,
  },
  timeZone: {
    what: 'IANA time zone of the times on the pages citizens see',
    default: DEFAULT_TIME_ZONE,
    env: 'GERBANG_TIME_ZONE',
  },
  'directory.enabled': { what: 'serve the public service directory', default: true },
  'directory.host': {
    what: 'host name of the public service directory',
    default: `${DEFAULT_DIRECTORY_LABEL}.<first zone>`,
  },
  'audit.maxAgeDays': {
    what: 'audit entries older than this are removed',
    default: DEFAULT_AUDIT_MAX_AGE_DAYS,
  },
  'audit.maxEntries': {
    what: 'audit entries kept at most (the oldest go first)',
    default: DEFAULT_AUDIT_MAX_ENTRIES,
  },
  'audit.pruneIntervalMs': { what: 'how often retention runs', default: DEFAULT_AUDIT_PRUNE_INTERVAL_MS },
  'audit.refusalWindowMs': {
    what: 'one audit entry per address and reason of refused calls per window',
    default: DEFAULT_AUDIT_REFUSAL_WINDOW_MS,
  },
  'usage.flushIntervalMs': {
    what: 'how often each process (each worker through the primary) adds its usage counts to the store; a crash loses at most this much',
    default: DEFAULT_USAGE_FLUSH_INTERVAL_MS,
  },
  'defacement.enabled': {
    what: 'checks the HTML the cache stores and a sample of proxied HTML for injected gambling spam and hidden link farms, off the request path',
    default: DEFAULT_DEFACEMENT_ENABLED,
  },
  'defacement.sampleIntervalMs': {
    what: 'at most one proxied HTML response per host per this interval is copied and checked (every cache fill is checked)',
    default: DEFAULT_DEFACEMENT_SAMPLE_INTERVAL_MS,
  },
  'defacement.maxScanBytes': {
    what: 'bytes of one page that are kept for its check: the first and the last half of this (a longer page’s middle is not checked); of a page the backend compressed, the first this many bytes, decoded up to this many',
    default: DEFAULT_DEFACEMENT_MAX_SCAN_BYTES,
  },
  'defacement.queueSize': {
    what: 'pages waiting for their check at most; more are dropped and counted in gerbang_defacement_scans_total{outcome="dropped"}',
    default: DEFAULT_DEFACEMENT_QUEUE_SIZE,
  },
  'defacement.rules': {
    what: 'DKISP’s own rules beside the built-in ones: `{id, terms, minMatches}` (whole words, case-insensitive, `minMatches` different ones on a page; default 1) or `{id, pattern}` (a regular expression over the lower-cased HTML); a bad one stops the start naming `defacement.rules[i]`',
    default: [],
  },
  hosts: {
    what: 'hosts declared in the file (the admin API’s host document with `host`): read-only through the API, reloaded on SIGHUP, checked by the same rules',
    default: [],
  },
};

function prefixed(prefix: string, docs: Record<string, KeyDoc>): Record<string, KeyDoc> {
  return Object.fromEntries(Object.entries(docs).map(([key, doc]) => [`${prefix}.${key}`, doc]));
}
