/** The store the config names: Redis when `redis.url` is set (several instances share it), else the embedded one. */
import type { GatewayConfig } from '../config/schema.js';
import type { Logger } from '../observability/logger.js';
import { EmbeddedStore } from './embedded-store.js';
import { RedisStore } from './redis-store.js';
import type { Store } from './store.js';

export function createStore(config: GatewayConfig, logger: Logger): Store {
  if (config.redis === undefined) return new EmbeddedStore({ stateDir: config.stateDir, logger });
  return new RedisStore({
    url: config.redis.url,
    prefix: config.redis.prefix,
    logger,
    ...(config.redis.resyncIntervalMs !== undefined
      ? { resyncIntervalMs: config.redis.resyncIntervalMs }
      : {}),
  });
}
