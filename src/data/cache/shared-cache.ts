/** The shared cache of one worker: memory tier, optional Redis tier, coalescing, invalidation, purge and its metrics. */
import type { IncomingHttpHeaders } from 'node:http';
import { DEFAULT_CACHE_READ_AHEAD_FRACTION, DEFAULT_CACHE_STALE_RETAIN_S } from '../../config/defaults.js';
import type { CacheConfig } from '../../config/schema.js';
import { GerbangError } from '../../errors.js';
import type { CounterSlot } from '../../observability/bound-metrics.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { acceptedCodingsKey } from '../compression/negotiate.js';
import type { DefacementWatch } from '../defacement/defacement-watch.js';
import type { CacheEntry } from './cache-entry.js';
import type { ReadAheadBudget } from './cache-fill.js';
import { Coalescer } from './coalescer.js';
import { MemoryTier } from './memory-tier.js';
import { type PurgeMessage, RedisTier } from './redis-tier.js';

export type CacheResult = 'hit' | 'miss' | 'stale' | 'revalidated' | 'bypass';

const RESULTS: readonly CacheResult[] = ['hit', 'miss', 'stale', 'revalidated', 'bypass'];

/** Schemes a URL is cached under: an invalidation or purge covers both listeners. */
const SCHEMES = ['http', 'https'] as const;

export interface SharedCacheOptions {
  config: CacheConfig;
  redis: { url: string; prefix: string } | undefined;
  metrics: GatewayMetrics;
  logger: Logger;
}

export interface Lookup {
  entry: CacheEntry | undefined;
  /** Something is stored for the URL (a variant for other Vary values at least). */
  uriKnown: boolean;
}

/**
 * A request header as Vary compares it (RFC 9111 §4.1 normalisation): absent stays undefined (never equal to
 * empty), repeats are joined, and whitespace around list commas does not make another variant.
 */
function fieldValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value.join(',') : value;
  // Accept-Encoding by what it accepts, not how it is spelt: one variant for Chrome and Firefox alike.
  if (name === 'accept-encoding') return acceptedCodingsKey(text);
  return text.includes(',') ? text.replace(/[ \t]*,[ \t]*/g, ',').trim() : text.trim();
}

export function varyValuesOf(headers: IncomingHttpHeaders, names: readonly string[]): (string | undefined)[] {
  return names.map((n) => fieldValue(headers, n));
}

function varyMatches(entry: CacheEntry, headers: IncomingHttpHeaders): boolean {
  const names = entry.varyNames;
  for (let i = 0; i < names.length; i++) {
    if (fieldValue(headers, names[i] as string) !== entry.varyValues[i]) return false;
  }
  return true;
}

/** Variants are kept newest first: the first whose Vary fields match is the one to use. */
function matchingVariant(
  variants: readonly CacheEntry[] | undefined,
  headers: IncomingHttpHeaders,
): CacheEntry | undefined {
  if (variants === undefined) return undefined;
  for (const v of variants) if (varyMatches(v, headers)) return v;
  return undefined;
}

/** How long an entry is worth keeping (ms): fresh, plus its stale windows, plus time to revalidate if it has validators. */
export function retainMs(entry: CacheEntry, serveStaleOnErrorMs: number): number {
  const stale = Math.max(entry.swr, entry.sie, entry.noStale ? 0 : serveStaleOnErrorMs / 1000);
  const revalidate =
    entry.etag !== undefined || entry.lastModified !== undefined ? DEFAULT_CACHE_STALE_RETAIN_S : 0;
  return Math.max(1_000, (entry.lifetime - entry.initialAge + stale + revalidate) * 1000);
}

function purgeMatch(host: string, prefix: string): (entry: CacheEntry) => boolean {
  return (entry) => (entry.hostName === host || entry.hostLabel === host) && entry.url.startsWith(prefix);
}

export class SharedCache {
  readonly config: CacheConfig;
  readonly memory: MemoryTier;
  readonly redis: RedisTier | undefined;
  readonly coalescer = new Coalescer();
  /** Keys with a background (stale-while-revalidate) refresh under way: one per key. */
  readonly refreshing = new Set<string>();
  /** What misses being stored hold for clients slower than the backend, all together (cache-fill.ts). */
  readonly readAhead: ReadAheadBudget;
  /** Checks the HTML stored here for defacement, and refuses pages flagged on hosts that asked (issue 18); unset = off. */
  defacement: DefacementWatch | undefined;
  readonly #metrics: GatewayMetrics;
  readonly #logger: Logger;
  readonly #counters = new Map<string, Record<CacheResult, CounterSlot>>();

  constructor(options: SharedCacheOptions) {
    this.config = options.config;
    this.#metrics = options.metrics;
    this.#logger = options.logger.child({ component: 'cache' });
    this.memory = new MemoryTier({
      maxBytes: options.config.memoryBytes,
      onEvict: () => options.metrics.cacheEvictions.inc(),
    });
    this.readAhead = {
      used: 0,
      limit: Math.floor(options.config.memoryBytes * DEFAULT_CACHE_READ_AHEAD_FRACTION),
    };
    this.redis =
      options.redis !== undefined && options.config.redis
        ? new RedisTier({
            url: options.redis.url,
            prefix: options.redis.prefix,
            maxObjectBytes: options.config.redisMaxObjectBytes,
            timeoutMs: options.config.redisTimeoutMs,
            logger: options.logger,
          })
        : undefined;
  }

  start(): void {
    this.redis?.start((message) => this.#onRemotePurge(message));
  }

  async close(): Promise<void> {
    await this.redis?.close();
    this.memory.clear();
    this.#gauges();
  }

  /** Counts one request; the per-host children are bound once, not looked up by label each time. */
  count(host: string, result: CacheResult): void {
    let byResult = this.#counters.get(host);
    if (byResult === undefined) {
      const counter = this.#metrics.cacheRequests;
      byResult = {} as Record<CacheResult, CounterSlot>;
      for (const r of RESULTS) byResult[r] = counter.bind({ host, result: r });
      this.#counters.set(host, byResult);
    }
    byResult[result].inc();
  }

  /** The newest stored variant whose Vary fields match the request, and whether the URL is stored at all. */
  find(key: string, headers: IncomingHttpHeaders): Lookup {
    const variants = this.memory.get(key);
    return { entry: matchingVariant(variants, headers), uriKnown: variants !== undefined };
  }

  /** The same variant without the miss's reason (the fresh-hit front needs no more, and allocates nothing). */
  findInMemory(key: string, headers: IncomingHttpHeaders): CacheEntry | undefined {
    return matchingVariant(this.memory.get(key), headers);
  }

  /** Asks the Redis tier (within its time budget); a found entry is copied into memory. */
  async findShared(key: string, headers: IncomingHttpHeaders): Promise<CacheEntry | undefined> {
    const redis = this.redis;
    if (redis === undefined || !redis.ready) return undefined;
    const entry = await redis.get(key);
    if (entry === undefined || !varyMatches(entry, headers)) return undefined;
    this.memory.put(entry);
    this.#gauges();
    return entry;
  }

  store(entry: CacheEntry, serveStaleOnErrorMs: number): void {
    this.memory.put(entry);
    this.#gauges();
    this.redis?.put(entry, retainMs(entry, serveStaleOnErrorMs));
  }

  /** After a 304 changed an entry's headers in place. */
  restored(entry: CacheEntry, serveStaleOnErrorMs: number): void {
    this.memory.touch(entry.key);
    this.redis?.put(entry, retainMs(entry, serveStaleOnErrorMs));
  }

  /** Drops the stored responses of these paths on `host` (both schemes, every variant), here and on every instance. */
  invalidate(host: string, paths: readonly string[]): void {
    const keys: string[] = [];
    for (const path of paths) for (const scheme of SCHEMES) keys.push(`${scheme}://${host}${path}`);
    for (const key of keys) this.memory.delete(key);
    this.#gauges();
    this.redis?.invalidate(keys);
  }

  /** Removes this worker's entries for `host` below `prefix`; returns how many URLs went. */
  purgeLocal(host: string, prefix: string): number {
    const removed = this.memory.deleteWhere(purgeMatch(host, prefix));
    this.#gauges();
    return removed;
  }

  /** Purges here, in Redis, and (through Redis) on every other instance. */
  async purge(host: string, prefix: string): Promise<{ removed: number; instances: 'all' | 'local' }> {
    const removed = this.purgeLocal(host, prefix);
    const redis = this.redis;
    if (redis === undefined) return { removed, instances: 'local' };
    try {
      await redis.purge(host, prefix);
    } catch (err) {
      this.#logger.warn({ host, prefix, err: (err as Error).message }, 'cache purge did not reach Redis');
      throw new GerbangError(
        'STORE_UNAVAILABLE',
        'purged on this instance only: Redis is unreachable, the other instances were not told; retry',
      );
    }
    return { removed, instances: 'all' };
  }

  #onRemotePurge(message: PurgeMessage): void {
    if (Array.isArray(message.keys)) {
      for (const key of message.keys) if (typeof key === 'string') this.memory.delete(key);
    } else if (typeof message.host === 'string') {
      this.memory.deleteWhere(
        purgeMatch(message.host, typeof message.prefix === 'string' ? message.prefix : '/'),
      );
    }
    this.#gauges();
  }

  #gauges(): void {
    this.#metrics.cacheStoredBytes.set(this.memory.bytes);
    this.#metrics.cacheEntries.set(this.memory.entries);
  }
}
