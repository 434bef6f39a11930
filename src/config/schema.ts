/** The static configuration (YAML file + environment): its schema is its type. Dynamic config (hosts) lives in the store. */
import { type Static, Type } from '@sinclair/typebox';
import { HostBodySchema } from '../model/host-schema.js';
import type { BackendsPolicyConfig } from '../model/target-policy.js';
import { type AuditConfig, AuditConfigFileSchema } from './audit-config.js';
import { type DefacementConfig, DefacementConfigFileSchema } from './defacement-config.js';
import {
  MAX_SHUTDOWN_GRACE_MS,
  MAX_TLS_TICKET_KEY_ROTATION_MS,
  MIN_TLS_TICKET_KEY_ROTATION_MS,
} from './defaults.js';
import type { UpstreamConfig } from './upstream-config.js';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Listen = Type.Object(
  { host: Type.Optional(Type.String({ minLength: 1 })), port: Type.Optional(Port) },
  { additionalProperties: false },
);
/** A public listener: `publicPort` is the port clients reach it on when that is not the bound one (NAT, container). */
const PublicListen = Type.Object(
  {
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Port),
    publicPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  },
  { additionalProperties: false },
);

export const ConfigFileSchema = Type.Object(
  {
    zones: Type.Optional(Type.Array(Type.String({ minLength: 3 }), { minItems: 1 })),
    stateDir: Type.Optional(Type.String({ minLength: 1 })),
    listen: Type.Optional(
      Type.Object(
        {
          http: Type.Optional(PublicListen),
          https: Type.Optional(PublicListen),
          admin: Type.Optional(Listen),
        },
        { additionalProperties: false },
      ),
    ),
    /** Peers whose X-Forwarded-* headers are believed (CIDR or address). */
    trustedProxies: Type.Optional(Type.Array(Type.String({ minLength: 2 }))),
    redis: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(Type.String({ minLength: 8 })),
          prefix: Type.Optional(Type.String({ minLength: 1 })),
          /** How often every instance re-reads the whole store (heals missed feed entries, notices a flush). */
          resyncIntervalMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    log: Type.Optional(
      Type.Object(
        {
          level: Type.Optional(
            Type.Union(
              ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
            ),
          ),
          access: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
    ),
    limits: Type.Optional(
      Type.Object(
        {
          maxHeaderSize: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1024 * 1024 })),
          headersTimeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
          requestTimeoutMs: Type.Optional(Type.Integer({ minimum: 0 })),
          keepAliveTimeoutMs: Type.Optional(Type.Integer({ minimum: 100 })),
          drainTimeoutMs: Type.Optional(Type.Integer({ minimum: 0 })),
          /** After SIGTERM: /readyz answers 503 this long while requests are still served, then the drain starts. */
          shutdownGraceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SHUTDOWN_GRACE_MS })),
          /** Requests one client connection may carry before it is closed (0 = no limit). */
          maxRequestsPerConnection: Type.Optional(Type.Integer({ minimum: 0 })),
          /** A connection that sends no byte this long after opening (after TLS on HTTPS) is closed. */
          firstByteTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
          tlsHandshakeTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
          /** Open connections per client address and listener (IPv6 per /64); trusted proxies are exempt. */
          maxConnectionsPerAddress: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          /** A request body silent this long while Gerbang waits for it is cut (408). */
          requestBodyIdleTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
          /** After the grace period a request body must average at least this rate (bytes/s) or is cut (408). */
          requestBodyMinBytesPerS: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
          requestBodyGraceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
          /** Connections Gerbang opens at most to one target. */
          backendConnections: Type.Optional(Type.Integer({ minimum: 2, maximum: 65_536 })),
          /** Requests one client address may have in flight to one target (less than backendConnections). */
          maxBackendRequestsPerClient: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
          /** Responses one worker compresses as they stream at once; beyond it they go uncompressed. */
          maxCompressingResponses: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** The HTTPS listener's TLS: session ticket keys shared by every worker and instance (control/ticket-keys.ts). */
    tls: Type.Optional(
      Type.Object(
        {
          ticketKeyRotationMs: Type.Optional(
            Type.Integer({
              minimum: MIN_TLS_TICKET_KEY_ROTATION_MS,
              maximum: MAX_TLS_TICKET_KEY_ROTATION_MS,
            }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** HTTP/2 on the HTTPS listener: per-connection limits after Envoy's edge defaults (DEFAULT_H2_*). */
    http2: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          maxConcurrentStreams: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          initialStreamWindowBytes: Type.Optional(Type.Integer({ minimum: 65_535, maximum: 2_147_483_647 })),
          initialConnectionWindowBytes: Type.Optional(
            Type.Integer({ minimum: 65_535, maximum: 2_147_483_647 }),
          ),
          maxHeaderListBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: 1024 * 1024 })),
          idleTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 86_400_000 })),
          /** Streams a client may reset before their response ended (Rapid Reset); then GOAWAY and close. */
          maxClientResets: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** The shared cache's tiers: memory per worker, optionally Redis for all instances. */
    cache: Type.Optional(
      Type.Object(
        {
          memoryBytes: Type.Optional(Type.Integer({ minimum: 0 })),
          maxObjectBytes: Type.Optional(Type.Integer({ minimum: 0 })),
          redis: Type.Optional(Type.Boolean()),
          redisMaxObjectBytes: Type.Optional(Type.Integer({ minimum: 0 })),
          redisTimeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Which addresses targets may reach (SSRF policy): loopback and private ranges only when allowed. */
    backends: Type.Optional(
      Type.Object(
        {
          allow: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 50 }), { maxItems: 256 })),
          /** Never reachable, whatever `allow` says: the data centre's own services (monitoring, store, management). */
          deny: Type.Optional(Type.Array(Type.String({ minLength: 2, maxLength: 50 }), { maxItems: 256 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Passive health checks and the circuit breaker per target (issue 7); every field has a DEFAULT_* value. */
    upstream: Type.Optional(
      Type.Object(
        {
          passive: Type.Optional(
            Type.Object(
              {
                failures: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
                ejectBaseMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
                ejectMaxMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
                forgetMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
              },
              { additionalProperties: false },
            ),
          ),
          breaker: Type.Optional(
            Type.Object(
              {
                windowMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })),
                minRequests: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
                errorRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
                latencyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
                slowRatio: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
                probes: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** The raw fronts (fresh memory hits, bodyless proxied requests) before fastify; false: all through fastify. */
    fastPaths: Type.Optional(
      Type.Boolean({
        description:
          'answer fresh memory hits and bodyless proxied requests before fastify (false: every request through fastify, the same answers at a higher cost; for diagnosis)',
      }),
    ),
    /** IANA zone the citizens' pages show times in (DEFAULT_TIME_ZONE); GERBANG_TIME_ZONE overrides. */
    timeZone: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        'x-env': 'GERBANG_TIME_ZONE',
        description:
          'IANA zone of the times on the directory and maintenance pages (default Asia/Makassar, WITA)',
      }),
    ),
    /** The public service directory page. */
    directory: Type.Optional(
      Type.Object(
        {
          enabled: Type.Optional(Type.Boolean()),
          host: Type.Optional(Type.String({ minLength: 3, maxLength: 253 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Audit retention (age and count) and refusal summaries; every field has a DEFAULT_AUDIT_* value. */
    audit: Type.Optional(AuditConfigFileSchema),
    /** Usage report counters (issue 18): how often each process adds its deltas to the store. */
    usage: Type.Optional(
      Type.Object(
        { flushIntervalMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000 })) },
        { additionalProperties: false },
      ),
    ),
    /** Defacement watch (issue 18): sampling, bounds and DKISP's own rules; every field has a DEFAULT_DEFACEMENT_* value. */
    defacement: Type.Optional(DefacementConfigFileSchema),
    /** Hosts declared in the file: read-only through the admin API, reloaded on SIGHUP. */
    hosts: Type.Optional(Type.Array(Type.Intersect([HostBodySchema, Type.Object({ host: Type.String() })]))),
  },
  { additionalProperties: false },
);

export type ConfigFile = Static<typeof ConfigFileSchema>;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ListenAddress {
  host: string;
  port: number;
  /** Public listeners: the port clients use, told to backends (Host, X-Forwarded-Port); absent = the bound port. */
  publicPort?: number | undefined;
}

/** The resolved static configuration every module receives. */
export interface GatewayConfig {
  configPath: string | undefined;
  zones: string[];
  stateDir: string;
  http: ListenAddress;
  https: ListenAddress;
  admin: ListenAddress;
  adminToken: string | undefined;
  trustedProxies: string[];
  redis: { url: string; prefix: string; resyncIntervalMs?: number } | undefined;
  logLevel: LogLevel;
  accessLog: boolean;
  limits: {
    maxHeaderSize: number;
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    drainTimeoutMs: number;
    /** GERBANG_SHUTDOWN_GRACE_MS or limits.shutdownGraceMs: not ready but still serving, before the drain. */
    shutdownGraceMs: number;
    maxRequestsPerConnection: number;
    firstByteTimeoutMs: number;
    tlsHandshakeTimeoutMs: number;
    maxConnectionsPerAddress: number;
    requestBodyIdleTimeoutMs: number;
    requestBodyMinBytesPerS: number;
    requestBodyGraceMs: number;
    backendConnections: number;
    maxBackendRequestsPerClient: number;
    maxCompressingResponses: number;
  };
  acme:
    | {
        directory: string;
        email: string | undefined;
        /** Executable run as `<hook> set|clear <name> <value>` for DNS-01 (wildcards); GERBANG_ACME_DNS_HOOK. */
        dnsHook?: string | undefined;
        /** Scheduling overrides (tests, unusual CAs); every unset value takes its DEFAULT_ACME_* constant. */
        timings?: Partial<AcmeTimingsConfig> | undefined;
      }
    | undefined;
  workers: number;
  hosts: ConfigFile['hosts'];
  /** SSRF policy for targets; absent in configs built by hand: nothing private or loopback is reachable. */
  backends?: BackendsPolicyConfig | undefined;
  /** The raw fronts before fastify; absent in configs built by hand: DEFAULT_FAST_PATHS. */
  fastPaths?: boolean | undefined;
  /** IANA zone of the times on citizens' pages; absent in configs built by hand: DEFAULT_TIME_ZONE. */
  timeZone?: string | undefined;
  /** The public service directory; absent: on `layanan.<first zone>`. */
  directory?: { enabled: boolean; host: string } | undefined;
  /** Absent in configs built by hand (tests): every field then takes its default. */
  cache?: CacheConfig | undefined;
  /** Passive checks and circuit breaker; absent in configs built by hand: every field takes its default. */
  upstream?: UpstreamConfig | undefined;
  /** Audit retention and refusal summaries; absent in configs built by hand: every field takes its default. */
  audit?: AuditConfig | undefined;
  /** HTTP/2 on the HTTPS listener; absent in configs built by hand: on, every limit at its DEFAULT_H2_*. */
  http2?: Http2Config | undefined;
  /** Session ticket keys; absent in configs built by hand: rotated every DEFAULT_TLS_TICKET_KEY_ROTATION_MS. */
  tls?: { ticketKeyRotationMs: number } | undefined;
  /** Usage counters; absent in configs built by hand: flushed every DEFAULT_USAGE_FLUSH_INTERVAL_MS. */
  usage?: { flushIntervalMs: number } | undefined;
  /** Defacement watch; absent in configs built by hand: on, every field at its DEFAULT_DEFACEMENT_*. */
  defacement?: DefacementConfig | undefined;
}

/** HTTP/2 session limits of the HTTPS listener (http2-config.ts resolves them). */
export interface Http2Config {
  /** false: ALPN offers http/1.1 only. */
  enabled: boolean;
  maxConcurrentStreams: number;
  initialStreamWindowBytes: number;
  initialConnectionWindowBytes: number;
  maxHeaderListBytes: number;
  idleTimeoutMs: number;
  maxClientResets: number;
}

export interface CacheConfig {
  /** Memory tier bound in bytes; 0 turns the cache off everywhere. */
  memoryBytes: number;
  maxObjectBytes: number;
  /** Share stored responses through Redis (only when Redis is configured). */
  redis: boolean;
  redisMaxObjectBytes: number;
  redisTimeoutMs: number;
}

/** ACME scheduling knobs; defaults in config/defaults.ts (DEFAULT_ACME_*). */
export interface AcmeTimingsConfig {
  renewRatio: number;
  checkIntervalMs: number;
  backoffMinMs: number;
  backoffMaxMs: number;
  lockTtlMs: number;
  pollMinMs: number;
  pollMaxMs: number;
  pollAttempts: number;
}
