/** Resolves the static `cache:` section: every field defaulted, the memory bound derived from the heap limit. */
import { getHeapStatistics } from 'node:v8';
import {
  DEFAULT_CACHE_MAX_OBJECT_BYTES,
  DEFAULT_CACHE_MEMORY_FRACTION,
  DEFAULT_CACHE_REDIS_MAX_OBJECT_BYTES,
  DEFAULT_CACHE_REDIS_TIMEOUT_MS,
} from './defaults.js';
import type { CacheConfig, ConfigFile } from './schema.js';

export function defaultCacheMemoryBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * DEFAULT_CACHE_MEMORY_FRACTION);
}

export function resolveCacheConfig(
  file: ConfigFile['cache'] | Partial<CacheConfig> | undefined,
): CacheConfig {
  return {
    memoryBytes: file?.memoryBytes ?? defaultCacheMemoryBytes(),
    maxObjectBytes: file?.maxObjectBytes ?? DEFAULT_CACHE_MAX_OBJECT_BYTES,
    redis: file?.redis ?? true,
    redisMaxObjectBytes: file?.redisMaxObjectBytes ?? DEFAULT_CACHE_REDIS_MAX_OBJECT_BYTES,
    redisTimeoutMs: file?.redisTimeoutMs ?? DEFAULT_CACHE_REDIS_TIMEOUT_MS,
  };
}
