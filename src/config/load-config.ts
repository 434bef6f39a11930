/** Reads config/gerbang.yaml and the GERBANG_* environment into one validated GatewayConfig; errors name the field. */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parse as parseYaml } from 'yaml';
import { isKnownTimeZone } from '../data/pages/local-time.js';
import { configError, GerbangError } from '../errors.js';
import { TargetPolicy } from '../model/target-policy.js';
import { compileValidator } from '../model/validate.js';
import { resolveAuditConfig } from './audit-config.js';
import { resolveCacheConfig } from './cache-config.js';
import { resolveDefacementConfig } from './defacement-config.js';
import {
  DEFAULT_ADMIN_HOST,
  DEFAULT_ADMIN_PORT,
  DEFAULT_CLUSTER_MAX_REQUESTS_PER_CONNECTION,
  DEFAULT_CONFIG_PATH,
  DEFAULT_DIRECTORY_LABEL,
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_FAST_PATHS,
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_HTTP_PORT,
  DEFAULT_HTTPS_PORT,
  DEFAULT_KEEPALIVE_TIMEOUT_MS,
  DEFAULT_LOG_LEVEL,
  DEFAULT_MAX_HEADER_SIZE,
  DEFAULT_MAX_REQUESTS_PER_CONNECTION,
  DEFAULT_PUBLIC_HOST,
  DEFAULT_REDIS_PREFIX,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RESYNC_INTERVAL_MS,
  DEFAULT_SHUTDOWN_GRACE_MS,
  DEFAULT_STATE_DIR,
  DEFAULT_TIME_ZONE,
  DEFAULT_TLS_TICKET_KEY_ROTATION_MS,
  DEFAULT_USAGE_FLUSH_INTERVAL_MS,
  DEFAULT_WORKERS,
  DEFAULT_ZONES,
  MAX_SHUTDOWN_GRACE_MS,
} from './defaults.js';
import { resolveHttp2Config } from './http2-config.js';
import { resolveResourceLimits } from './resource-limits.js';
import { type ConfigFile, ConfigFileSchema, type GatewayConfig, type LogLevel } from './schema.js';
import { resolveUpstreamConfig } from './upstream-config.js';

const configFile = compileValidator(ConfigFileSchema);
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * With several workers, a keep-alive connection stays on the worker that accepted it: recycling connections
 * now and then lets new ones go to whichever worker is free (Node's primary hands them out), so the load
 * evens out, and a replaced worker gets its share back. One process has no one to share with.
 */
function defaultMaxRequestsPerConnection(workers: number): number {
  return workers > 1 ? DEFAULT_CLUSTER_MAX_REQUESTS_PER_CONNECTION : DEFAULT_MAX_REQUESTS_PER_CONNECTION;
}

/** One data-plane worker per core in production (NODE_ENV=production, as the image sets); one otherwise (demo, tests). */
function defaultWorkers(env: Env): number {
  return env.NODE_ENV === 'production' ? availableParallelism() : DEFAULT_WORKERS;
}

export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw configError('GERBANG_CONFIG', `cannot read ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    throw configError(path, `not valid YAML: ${(err as Error).message}`);
  }
  const problems = configFile.problems(raw);
  const first = problems[0];
  if (first) throw configError(`${path} ${first.path}`, first.message);
  return raw as ConfigFile;
}

function envPort(env: Env, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw configError(name, `"${value}" is not a port number`);
  return Number(value);
}

/** A port clients connect to: 0 (any free port) means nothing there. */
function envPublicPort(env: Env, name: string): number | undefined {
  const port = envPort(env, name);
  if (port === 0) throw configError(name, '0 is not a port clients can reach');
  return port;
}

function envInt(env: Env, name: string, min: number): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw configError(name, `"${value}" is not a whole number ≥ ${min}`);
  return Number(value);
}

/** The same bounds as `limits.shutdownGraceMs`: a grace of hours would outlast any orchestrator's patience. */
function envShutdownGrace(env: Env): number | undefined {
  const grace = envInt(env, 'GERBANG_SHUTDOWN_GRACE_MS', 0);
  if (grace !== undefined && grace > MAX_SHUTDOWN_GRACE_MS)
    throw configError('GERBANG_SHUTDOWN_GRACE_MS', `${grace} is more than ${MAX_SHUTDOWN_GRACE_MS} ms`);
  return grace;
}

function envList(env: Env, name: string): string[] | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const list = value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
  if (list.length === 0) throw configError(name, 'an empty list');
  return list;
}

function checkZones(zones: string[], field: string): string[] {
  for (const zone of zones) {
    if (!/^(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})+$/.test(zone)) {
      throw configError(field, `"${zone}" is not a DNS zone`);
    }
  }
  return zones;
}

/** Resolves the whole static configuration; throws a CONFIG_INVALID GerbangError naming the field. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const explicitPath = env.GERBANG_CONFIG;
  const configPath = explicitPath || DEFAULT_CONFIG_PATH;
  let file: ConfigFile = {};
  let loadedPath: string | undefined;
  try {
    file = readConfigFile(configPath);
    loadedPath = configPath;
  } catch (err) {
    // Without an explicit GERBANG_CONFIG a missing default file is fine: every value has a default.
    const missing = err instanceof GerbangError && /ENOENT/.test(err.message);
    if (explicitPath || !missing) throw err;
  }

  const logLevel = env.GERBANG_LOG_LEVEL || file.log?.level || DEFAULT_LOG_LEVEL;
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw configError('GERBANG_LOG_LEVEL', `"${logLevel}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const redisUrl = env.GERBANG_REDIS_URL || file.redis?.url;
  if (redisUrl && !/^(redis|rediss|redis\+sentinel):\/\//.test(redisUrl)) {
    throw configError('GERBANG_REDIS_URL', 'must start with redis://, rediss:// or redis+sentinel://');
  }

  const acmeDirectory = env.GERBANG_ACME_DIRECTORY;
  if (acmeDirectory && !/^https?:\/\//.test(acmeDirectory)) {
    throw configError('GERBANG_ACME_DIRECTORY', 'must be an http(s) URL');
  }

  const adminToken = env.GERBANG_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    throw configError('GERBANG_ADMIN_TOKEN', 'must be at least 16 characters');
  }

  const workers = envInt(env, 'GERBANG_WORKERS', 1) ?? defaultWorkers(env);

  // Bad CIDRs stop the start, naming the field.
  new TargetPolicy({ allow: file.backends?.allow ?? [], deny: file.backends?.deny ?? [] });

  const timeZone = env.GERBANG_TIME_ZONE || file.timeZone || DEFAULT_TIME_ZONE;
  if (!isKnownTimeZone(timeZone)) {
    const field = env.GERBANG_TIME_ZONE ? 'GERBANG_TIME_ZONE' : `${loadedPath ?? configPath} timeZone`;
    throw configError(field, `"${timeZone}" is not a known IANA time zone (e.g. Asia/Makassar)`);
  }

  const zones = checkZones(
    envList(env, 'GERBANG_ZONES') ?? file.zones?.map((z) => z.toLowerCase()) ?? [...DEFAULT_ZONES],
    'GERBANG_ZONES',
  );

  return {
    configPath: loadedPath,
    zones,
    stateDir: env.GERBANG_STATE_DIR || file.stateDir || DEFAULT_STATE_DIR,
    http: {
      host: file.listen?.http?.host ?? DEFAULT_PUBLIC_HOST,
      port: envPort(env, 'GERBANG_HTTP_PORT') ?? file.listen?.http?.port ?? DEFAULT_HTTP_PORT,
      publicPort: envPublicPort(env, 'GERBANG_HTTP_PUBLIC_PORT') ?? file.listen?.http?.publicPort,
    },
    https: {
      host: file.listen?.https?.host ?? DEFAULT_PUBLIC_HOST,
      port: envPort(env, 'GERBANG_HTTPS_PORT') ?? file.listen?.https?.port ?? DEFAULT_HTTPS_PORT,
      publicPort: envPublicPort(env, 'GERBANG_HTTPS_PUBLIC_PORT') ?? file.listen?.https?.publicPort,
    },
    admin: {
      host: env.GERBANG_ADMIN_HOST || file.listen?.admin?.host || DEFAULT_ADMIN_HOST,
      port: envPort(env, 'GERBANG_ADMIN_PORT') ?? file.listen?.admin?.port ?? DEFAULT_ADMIN_PORT,
    },
    adminToken,
    trustedProxies: file.trustedProxies ?? [],
    redis: redisUrl
      ? {
          url: redisUrl,
          prefix: file.redis?.prefix ?? DEFAULT_REDIS_PREFIX,
          resyncIntervalMs: file.redis?.resyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS,
        }
      : undefined,
    logLevel: logLevel as LogLevel,
    accessLog: file.log?.access ?? true,
    limits: {
      maxHeaderSize: file.limits?.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE,
      headersTimeoutMs: file.limits?.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: file.limits?.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: file.limits?.keepAliveTimeoutMs ?? DEFAULT_KEEPALIVE_TIMEOUT_MS,
      drainTimeoutMs: file.limits?.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
      shutdownGraceMs: envShutdownGrace(env) ?? file.limits?.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      maxRequestsPerConnection:
        file.limits?.maxRequestsPerConnection ?? defaultMaxRequestsPerConnection(workers),
      ...resolveResourceLimits(file.limits),
    },
    acme: acmeDirectory
      ? {
          directory: acmeDirectory,
          email: env.GERBANG_ACME_EMAIL || undefined,
          dnsHook: env.GERBANG_ACME_DNS_HOOK || undefined,
        }
      : undefined,
    workers,
    hosts: file.hosts,
    cache: resolveCacheConfig(file.cache),
    http2: resolveHttp2Config(file.http2),
    tls: { ticketKeyRotationMs: file.tls?.ticketKeyRotationMs ?? DEFAULT_TLS_TICKET_KEY_ROTATION_MS },
    upstream: resolveUpstreamConfig(file.upstream),
    audit: resolveAuditConfig(file.audit),
    usage: { flushIntervalMs: file.usage?.flushIntervalMs ?? DEFAULT_USAGE_FLUSH_INTERVAL_MS },
    defacement: resolveDefacementConfig(file.defacement, loadedPath ?? configPath),
    backends: { allow: file.backends?.allow ?? [], deny: file.backends?.deny ?? [] },
    fastPaths: file.fastPaths ?? DEFAULT_FAST_PATHS,
    timeZone,
    directory: {
      enabled: file.directory?.enabled ?? true,
      host: (file.directory?.host ?? `${DEFAULT_DIRECTORY_LABEL}.${zones[0]}`).toLowerCase(),
    },
  };
}
