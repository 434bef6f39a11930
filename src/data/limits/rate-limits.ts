/** Builds one data plane's rate limiter from the static config: counted with the cluster through Redis when there is one, else each worker keeps its share. */
import {
  DEFAULT_RATE_LIMIT_LIVE_MS,
  DEFAULT_RATE_LIMIT_MAX_KEYS,
  DEFAULT_RATE_LIMIT_SYNC_INTERVAL_MS,
  DEFAULT_RATE_LIMIT_SYNC_MAX_KEYS,
  DEFAULT_RATE_LIMIT_SYNC_TIMEOUT_MS,
  DEFAULT_RATE_LIMIT_WINDOW_MS,
} from '../../config/defaults.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { RateClusterSync, type RateSyncState } from './rate-cluster-sync.js';
import { RateLimiter } from './rate-limiter.js';

export interface RateLimits {
  readonly limiter: RateLimiter;
  close(): void;
}

const STATES: readonly RateSyncState[] = ['cluster', 'fallback', 'local'];

/**
 * Workers of one instance: each is a data plane of its own. With Redis each takes part in the cluster's count
 * (and is one of the live planes whose share applies when Redis goes); without it, each keeps 1/workers.
 */
export function createRateLimits(config: GatewayConfig, metrics: GatewayMetrics, logger: Logger): RateLimits {
  const gauge = metrics.rateLimitClusterSync;
  const show = (state: RateSyncState): void => {
    for (const s of STATES) gauge.set({ state: s }, s === state ? 1 : 0);
  };
  const redis = config.redis;
  let sync: RateClusterSync | undefined;
  const limiter = new RateLimiter({
    maxKeys: DEFAULT_RATE_LIMIT_MAX_KEYS,
    shared: redis !== undefined,
    onLimited: (host) => metrics.rateLimited.inc({ host }),
    onFirstUse: () => sync?.start(),
  });
  metrics.rateLimitKeysNow = () => limiter.table.size;
  if (redis === undefined) {
    limiter.weight = Math.max(1, config.workers);
    show('local');
  } else {
    sync = new RateClusterSync({
      url: redis.url,
      prefix: redis.prefix,
      limiter,
      intervalMs: DEFAULT_RATE_LIMIT_SYNC_INTERVAL_MS,
      timeoutMs: DEFAULT_RATE_LIMIT_SYNC_TIMEOUT_MS,
      maxKeysPerSync: DEFAULT_RATE_LIMIT_SYNC_MAX_KEYS,
      windowMs: DEFAULT_RATE_LIMIT_WINDOW_MS,
      liveMs: DEFAULT_RATE_LIMIT_LIVE_MS,
      onState: show,
      logger,
    });
  }
  return { limiter, close: () => sync?.close() };
}
