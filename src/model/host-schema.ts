/** The Host document (contract of DESIGN.md): the typebox schema is the single source of its type and its validation. */
import { type Static, Type } from '@sinclair/typebox';
import './formats.js';
import {
  DEFAULT_COMPRESSION_BROTLI_LEVEL,
  DEFAULT_COMPRESSION_GZIP_LEVEL,
  DEFAULT_COMPRESSION_MIN_BYTES,
  DEFAULT_COMPRESSION_ZSTD_LEVEL,
  MAX_ACCESS_LIST_ENTRIES,
  MAX_CACHE_OBJECT_BYTES,
  MAX_HEALTH_INTERVAL_MS,
  MAX_HEALTH_THRESHOLD,
  MAX_PATH_LENGTH,
  MAX_ROUTES_PER_HOST,
  MAX_SERVE_STALE_ON_ERROR_S,
  MAX_TARGET_WEIGHT,
  MAX_TARGETS_PER_ROUTE,
  MIN_HEALTH_INTERVAL_MS,
  MIN_HEALTH_TIMEOUT_MS,
} from '../config/defaults.js';
import { BasicAuthSchema } from './basic-auth-schema.js';
import {
  type ErrorPages,
  ErrorPagesSchema,
  type HeadersPolicy,
  HeadersPolicySchema,
} from './headers-schema.js';
import { type RateLimit, RateLimitSchema } from './rate-limit-schema.js';
import {
  type Alias,
  AliasesSchema,
  type HostRedirect,
  HostRedirectSchema,
  type PrefixRedirect,
  PrefixRedirectsSchema,
} from './redirect-schema.js';

export const TimeoutsSchema = Type.Object(
  {
    connect: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 120_000, description: 'ms to open a connection' }),
    ),
    response: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 600_000, description: 'ms to wait for response headers' }),
    ),
    idle: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3_600_000, description: 'ms a body may stall between bytes' }),
    ),
  },
  { additionalProperties: false },
);

/** Shared cache switches: on by default; a route may turn it off or lower/raise the size of what it stores. */
export const CacheSettingsSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    maxObjectBytes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_CACHE_OBJECT_BYTES, description: 'largest body stored' }),
    ),
  },
  { additionalProperties: false },
);

/** Compression at the edge: on by default; a route's switch wins over its host's; levels per coding. */
export const CompressionSettingsSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({ description: 'gzip/br/zstd by Accept-Encoding; on by default, the route wins' }),
    ),
    minBytes: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1024 * 1024,
        description: `smallest announced body compressed (default ${DEFAULT_COMPRESSION_MIN_BYTES})`,
      }),
    ),
    gzipLevel: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 9, description: `default ${DEFAULT_COMPRESSION_GZIP_LEVEL}` }),
    ),
    brotliLevel: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 11, description: `default ${DEFAULT_COMPRESSION_BROTLI_LEVEL}` }),
    ),
    zstdLevel: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 19, description: `default ${DEFAULT_COMPRESSION_ZSTD_LEVEL}` }),
    ),
  },
  { additionalProperties: false },
);

/** Seconds a stale page may be served when the backend fails (5xx, timeout, refused); 0 = only what stale-if-error allows. */
export const ServeStaleOnErrorSchema = Type.Integer({ minimum: 0, maximum: MAX_SERVE_STALE_ON_ERROR_S });

const StatusCode = Type.Integer({ minimum: 100, maximum: 599 });

/** Active health check of a route's targets, run by the control plane once per gateway for each (target, path). */
export const HealthCheckSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^/[^\\s#]*$' }),
    intervalMs: Type.Optional(
      Type.Integer({ minimum: MIN_HEALTH_INTERVAL_MS, maximum: MAX_HEALTH_INTERVAL_MS }),
    ),
    timeoutMs: Type.Optional(Type.Integer({ minimum: MIN_HEALTH_TIMEOUT_MS, maximum: 60_000 })),
    healthyThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HEALTH_THRESHOLD })),
    unhealthyThreshold: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_HEALTH_THRESHOLD })),
    expectStatus: Type.Optional(
      Type.Union([StatusCode, Type.Array(StatusCode, { minItems: 1, maxItems: 16 })], {
        description: 'status codes counted as healthy; default any 2xx or 3xx',
      }),
    ),
  },
  { additionalProperties: false },
);

/** How a route spreads requests over its healthy targets. */
export const BalanceSchema = Type.Union(
  [Type.Literal('roundRobin'), Type.Literal('leastInFlight'), Type.Literal('clientHash')],
  {
    description:
      'roundRobin (weighted; default), leastInFlight, or clientHash (client address, for server-side sessions)',
  },
);

/** Per host or route: the curated probe rules (src/data/policy/probe-rules.ts) off, logged and counted, or answered 404/403. */
export const ProbeFilterSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('off'), Type.Literal('detect'), Type.Literal('block')], {
      description: 'off, detect (logged and counted per rule; the default) or block (backend untouched)',
    }),
    status: Type.Optional(
      Type.Union([Type.Literal(404), Type.Literal(403)], {
        description: 'what a blocked probe gets; default 404',
      }),
    ),
  },
  { additionalProperties: false },
);

const AddressOrCidr = Type.String({ format: 'cidr', minLength: 2, maxLength: 49 });

/** Per host or route (a route's list replaces the host's): deny wins, then a non-empty allow admits only itself. */
export const AccessListSchema = Type.Object(
  {
    allow: Type.Optional(
      Type.Array(AddressOrCidr, {
        maxItems: MAX_ACCESS_LIST_ENTRIES,
        description: 'addresses or CIDRs (IPv4, IPv6) admitted; non-empty = every other address is refused',
      }),
    ),
    deny: Type.Optional(
      Type.Array(AddressOrCidr, {
        maxItems: MAX_ACCESS_LIST_ENTRIES,
        description: 'addresses or CIDRs refused',
      }),
    ),
    basicAuth: Type.Optional(BasicAuthSchema),
  },
  { additionalProperties: false },
);

export const RouteSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: MAX_PATH_LENGTH, pattern: '^/[^\\s?#]*$' }),
    targets: Type.Array(Type.String({ minLength: 8, maxLength: 2048 }), {
      minItems: 1,
      maxItems: MAX_TARGETS_PER_ROUTE,
    }),
    stripPrefix: Type.Optional(Type.Boolean()),
    preserveHost: Type.Optional(Type.Boolean()),
    timeouts: Type.Optional(TimeoutsSchema),
    cache: Type.Optional(CacheSettingsSchema),
    compression: Type.Optional(CompressionSettingsSchema),
    healthCheck: Type.Optional(HealthCheckSchema),
    balance: Type.Optional(BalanceSchema),
    weights: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: MAX_TARGET_WEIGHT }), {
        minItems: 1,
        maxItems: MAX_TARGETS_PER_ROUTE,
        description: 'one weight per target, in the order of targets (roundRobin and clientHash)',
      }),
    ),
    probeFilter: Type.Optional(ProbeFilterSchema),
    access: Type.Optional(AccessListSchema),
    rateLimit: Type.Optional(RateLimitSchema),
    headers: Type.Optional(HeadersPolicySchema),
    errorPages: Type.Optional(ErrorPagesSchema),
  },
  { additionalProperties: false },
);

/** Strict-Transport-Security on HTTPS answers: `true` for one year, or the parts spelled out. */
export const HstsSchema = Type.Union([
  Type.Boolean(),
  Type.Object(
    {
      maxAge: Type.Integer({ minimum: 0, maximum: 63_072_000, description: 'seconds' }),
      includeSubDomains: Type.Optional(Type.Boolean()),
      preload: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);

/** A host under maintenance answers a branded 503 with Retry-After and never reaches its backend. */
export const MaintenanceSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    message: Type.Optional(Type.String({ maxLength: 500, description: 'shown on the maintenance page' })),
    until: Type.Optional(
      Type.String({ format: 'date-time', maxLength: 40, description: 'expected end; sets Retry-After' }),
    ),
  },
  { additionalProperties: false },
);

/** The defacement watch's per-host choice (issue 18): a page found defaced is no longer kept in the cache. */
export const DefacementSettingsSchema = Type.Object(
  {
    skipCacheWhenFlagged: Type.Optional(
      Type.Boolean({
        description:
          'a page found defaced is purged from the cache and not stored again until a check finds it clean',
      }),
    ),
  },
  { additionalProperties: false },
);

/** How the service appears in the public directory (layanan.<zone>). */
export const AppInfoSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    owner: Type.Optional(Type.String({ maxLength: 200, description: 'unit responsible for the service' })),
    contact: Type.Optional(Type.String({ maxLength: 200 })),
    category: Type.Optional(Type.String({ maxLength: 60 })),
  },
  { additionalProperties: false },
);

/** What an API client sends for PUT /v1/hosts/{host} (the host name comes from the URL). */
export const HostBodySchema = Type.Object(
  {
    host: Type.Optional(Type.String({ maxLength: 253 })),
    agency: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' })),
    /** Required unless the host only redirects (`redirect`). */
    routes: Type.Optional(
      Type.Array(RouteSchema, {
        minItems: 1,
        maxItems: MAX_ROUTES_PER_HOST,
        description: 'required unless the host only redirects (redirect)',
      }),
    ),
    aliases: Type.Optional(AliasesSchema),
    redirect: Type.Optional(HostRedirectSchema),
    redirects: Type.Optional(PrefixRedirectsSchema),
    cache: Type.Optional(CacheSettingsSchema),
    compression: Type.Optional(CompressionSettingsSchema),
    serveStaleOnError: Type.Optional(ServeStaleOnErrorSchema),
    maintenance: Type.Optional(MaintenanceSchema),
    app: Type.Optional(AppInfoSchema),
    forceHttps: Type.Optional(
      Type.Boolean({ description: 'plain HTTP answers 308 to https (ACME challenges excepted)' }),
    ),
    hsts: Type.Optional(HstsSchema),
    probeFilter: Type.Optional(ProbeFilterSchema),
    access: Type.Optional(AccessListSchema),
    rateLimit: Type.Optional(RateLimitSchema),
    headers: Type.Optional(HeadersPolicySchema),
    errorPages: Type.Optional(ErrorPagesSchema),
    defacement: Type.Optional(DefacementSettingsSchema),
  },
  { additionalProperties: false },
);

export type Timeouts = Static<typeof TimeoutsSchema>;
export type Route = Static<typeof RouteSchema>;
export type HealthCheck = Static<typeof HealthCheckSchema>;
export type Balance = Static<typeof BalanceSchema>;
export type CacheSettings = Static<typeof CacheSettingsSchema>;
export type CompressionSettings = Static<typeof CompressionSettingsSchema>;
export type HostBody = Static<typeof HostBodySchema>;
export type Maintenance = Static<typeof MaintenanceSchema>;
export type AppInfo = Static<typeof AppInfoSchema>;
export type Hsts = Static<typeof HstsSchema>;
export type ProbeFilter = Static<typeof ProbeFilterSchema>;
export type AccessList = Static<typeof AccessListSchema>;
export type DefacementSettings = Static<typeof DefacementSettingsSchema>;

/** A stored host: the body, normalised, with its name and provenance. */
export interface HostDoc {
  host: string;
  agency?: string | undefined;
  routes: Route[];
  cache?: CacheSettings | undefined;
  compression?: CompressionSettings | undefined;
  serveStaleOnError?: number | undefined;
  maintenance?: Maintenance | undefined;
  app?: AppInfo | undefined;
  forceHttps?: boolean | undefined;
  hsts?: Hsts | undefined;
  probeFilter?: ProbeFilter | undefined;
  access?: AccessList | undefined;
  aliases?: Alias[] | undefined;
  /** A redirect-only host: `routes` is empty. */
  redirect?: HostRedirect | undefined;
  redirects?: PrefixRedirect[] | undefined;
  rateLimit?: RateLimit | undefined;
  headers?: HeadersPolicy | undefined;
  errorPages?: ErrorPages | undefined;
  defacement?: DefacementSettings | undefined;
  updatedAt: string;
}

/** Where a host comes from: declared in the YAML file (read-only through the API) or registered in the store. */
export type HostSource = 'config' | 'store';
