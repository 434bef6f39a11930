/** The background exchange of rate-limit counts through Redis: each data plane adds its deltas to a counter per (key, window) and charges what the others added; no request waits on it. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from '../../observability/logger.js';
import { connectionOptions } from '../../store/redis-store.js';
import type { RateLimiter } from './rate-limiter.js';

/** cluster: counting with the others through Redis; fallback: Redis away, this plane keeps its share; local: no Redis. */
export type RateSyncState = 'cluster' | 'fallback' | 'local';

export interface RateClusterSyncOptions {
  url: string;
  prefix: string;
  limiter: RateLimiter;
  intervalMs: number;
  timeoutMs: number;
  maxKeysPerSync: number;
  windowMs: number;
  liveMs: number;
  onState: (state: RateSyncState) => void;
  logger: Logger;
}

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 2_000;

export class RateClusterSync {
  readonly #id = randomUUID();
  readonly #options: RateClusterSyncOptions;
  readonly #redis: Redis;
  readonly #liveKey: string;
  #timer: NodeJS.Timeout | undefined;
  #busy = false;
  /** Data planes seen syncing lately, this one included: the share each keeps when Redis is away. */
  #live = 1;
  #lastSyncAt = Date.now();
  #state: RateSyncState | undefined;

  constructor(options: RateClusterSyncOptions) {
    this.#options = options;
    this.#liveKey = `${options.prefix}rl:live`;
    this.#redis = new Redis({
      ...connectionOptions(options.url),
      lazyConnect: true,
      // Nothing queues while Redis is away: a sync fails at once and the share applies.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2_000,
      commandTimeout: options.timeoutMs,
      connectionName: 'gerbang-rate-limits',
      retryStrategy: (attempt: number) =>
        Math.min(RETRY_MIN_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS),
    });
    const log = options.logger.child({ component: 'rate-limits' });
    this.#redis.on('error', (err: Error) => log.debug({ err: err.message }, 'rate-limit redis error'));
  }

  start(): void {
    if (this.#timer !== undefined) return;
    this.#redis.connect().catch(() => {});
    this.#timer = setInterval(() => void this.#tick(), this.#options.intervalMs);
    this.#timer.unref();
  }

  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#redis.disconnect();
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.#sync();
    } finally {
      this.#busy = false;
    }
  }

  async #sync(): Promise<void> {
    const { limiter, windowMs, liveMs, prefix } = this.#options;
    const status = this.#redis.status;
    // Still opening the first connection: the counts wait for it, under the whole limit (one plane known so far).
    if (this.#state === undefined && (status === 'wait' || status === 'connecting' || status === 'connect'))
      return;
    // Counted under the share meanwhile: what was admitted while Redis was away is not charged to the others later.
    const pending = limiter.takePending(this.#options.maxKeysPerSync);
    if (status !== 'ready') return this.#fallBack(`redis ${status}`);
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const pipe = this.#redis.pipeline();
    pipe.zadd(this.#liveKey, now, this.#id);
    pipe.zremrangebyscore(this.#liveKey, 0, now - liveMs);
    pipe.zcard(this.#liveKey);
    pipe.pexpire(this.#liveKey, liveMs * 5);
    for (const { entry, count } of pending) {
      const key = `${prefix}rl:${window}:${entry.planId}|${entry.client}`;
      pipe.incrby(key, count);
      pipe.pexpire(key, windowMs * 2);
    }
    let results: Array<[Error | null, unknown]> | null;
    let deadline: NodeJS.Timeout | undefined;
    try {
      results = await Promise.race([
        pipe.exec(),
        new Promise<never>((_, reject) => {
          deadline = setTimeout(() => reject(new Error('sync timed out')), this.#options.timeoutMs);
        }),
      ]);
    } catch (err) {
      return this.#fallBack((err as Error).message);
    } finally {
      clearTimeout(deadline);
    }
    const failed = results?.find(([err]) => err !== null);
    if (results === null || failed !== undefined)
      return this.#fallBack(failed?.[0]?.message ?? 'pipeline discarded');
    const live = Number(results[2]?.[1]);
    if (Number.isInteger(live) && live > 0) this.#live = live;
    const at = Date.now();
    const since = at - this.#lastSyncAt;
    for (const [i, { entry, count }] of pending.entries()) {
      const total = Number(results[4 + 2 * i]?.[1]);
      if (Number.isFinite(total)) limiter.chargeRemote(entry, window, count, total, at, since);
    }
    this.#lastSyncAt = at;
    limiter.weight = 1;
    this.#enter('cluster');
  }

  /** Each plane keeps 1 / (planes last seen) of the limit: the cluster as a whole stays near it without counting together. */
  #fallBack(reason: string): void {
    this.#options.limiter.weight = Math.max(1, this.#live);
    if (this.#state !== 'fallback')
      this.#options.logger.warn(
        { component: 'rate-limits', reason, share: `1/${this.#live}` },
        'rate limits counted locally: Redis unreachable',
      );
    this.#enter('fallback');
  }

  #enter(state: RateSyncState): void {
    if (this.#state === state) return;
    if (this.#state === 'fallback' && state === 'cluster')
      this.#options.logger.info({ component: 'rate-limits' }, 'rate limits counted with the cluster again');
    this.#state = state;
    this.#options.onState(state);
  }
}
