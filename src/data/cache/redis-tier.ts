/** The optional Redis tier: instances share stored responses and purges; a slow or absent Redis is skipped, never waited for. */
import { randomUUID } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../observability/logger.js';
import { connectionOptions } from '../../store/redis-store.js';
import type { CacheEntry } from './cache-entry.js';
import { decodeEntry, encodeEntry } from './entry-codec.js';

export interface RedisTierOptions {
  url: string;
  prefix: string;
  maxObjectBytes: number;
  timeoutMs: number;
  logger: Logger;
}

/** What travels between instances: a purge by host and prefix, or exact keys (invalidation after POST). */
export interface PurgeMessage {
  host?: string;
  prefix?: string;
  keys?: string[];
}

interface Envelope extends PurgeMessage {
  origin: string;
}

const SCAN_BATCH = 500;

/**
 * The names of what may be stored beside an entry (its encoded variants): `<entry key> <name>`. A request
 * target holds no space, so no URL's key is one of these, and a purge's pattern (the key's prefix) takes them.
 */
export const BESIDE_NAMES = ['br', 'zstd', 'gzip'] as const;
export type BesideName = (typeof BESIDE_NAMES)[number];

/** Stores ARGV[1] at KEYS[2] for as long as KEYS[1] (the entry) has left to live; nothing when it is gone. */
const PUT_BESIDE = `local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', ttl) return 1 end
return 0`;
/** A purge's Redis side may take this long before it is reported as not done (the entries expire anyway). */
const PURGE_DEADLINE_MS = 5_000;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** A purge host in glob form: `*.x` keeps its wildcard, everything else is literal. */
export function hostGlob(host: string): string {
  return host.startsWith('*.') ? `*${globEscape(host.slice(1))}` : globEscape(host);
}

export class RedisTier {
  readonly #id = randomUUID();
  readonly #keyPrefix: string;
  readonly #channel: string;
  readonly #cmd: Redis;
  readonly #sub: Redis;
  readonly #options: RedisTierOptions;
  #onPurge: ((message: PurgeMessage) => void) | undefined;

  constructor(options: RedisTierOptions) {
    this.#options = options;
    this.#keyPrefix = `${options.prefix}cache:`;
    this.#channel = `${options.prefix}cache-purge`;
    const common: RedisOptions = {
      ...connectionOptions(options.url),
      lazyConnect: true,
      // Nothing queues while Redis is away: a lookup fails at once and the backend is asked.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: 2_000,
      retryStrategy: (attempt: number) =>
        Math.min(RETRY_MIN_MS * 2 ** Math.max(0, attempt - 1), RETRY_MAX_MS),
    };
    this.#cmd = new Redis({ ...common, commandTimeout: 1_000, connectionName: 'gerbang-cache' });
    this.#sub = new Redis({ ...common, connectionName: 'gerbang-cache-purge' });
    const log = options.logger.child({ component: 'cache', tier: 'redis' });
    this.#cmd.on('error', (err: Error) => log.debug({ err: err.message }, 'cache redis error'));
    this.#sub.on('error', (err: Error) => log.debug({ err: err.message }, 'cache redis subscriber error'));
    this.#sub.on('ready', () => {
      this.#sub
        .subscribe(this.#channel)
        .catch((err: Error) => log.warn({ err: err.message }, 'cache purge subscribe failed'));
    });
    this.#sub.on('message', (channel: string, text: string) => {
      if (channel !== this.#channel) return;
      let message: Envelope;
      try {
        message = JSON.parse(text) as Envelope;
      } catch {
        return;
      }
      if (message.origin !== this.#id) this.#onPurge?.(message);
    });
  }

  /** Connects in the background: the gateway starts whether Redis is there or not. */
  start(onPurge: (message: PurgeMessage) => void): void {
    this.#onPurge = onPurge;
    this.#cmd.connect().catch(() => {});
    this.#sub.connect().catch(() => {});
  }

  async close(): Promise<void> {
    this.#onPurge = undefined;
    this.#sub.disconnect();
    this.#cmd.disconnect();
  }

  get ready(): boolean {
    return this.#cmd.status === 'ready';
  }

  /** The stored entry or undefined, within the tier's time budget whatever Redis does. */
  get(key: string): Promise<CacheEntry | undefined> {
    if (this.#cmd.status !== 'ready') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.#options.timeoutMs);
      this.#cmd.getBuffer(this.#keyPrefix + key).then(
        (buf) => {
          clearTimeout(timer);
          resolve(buf === null ? undefined : decodeEntry(buf, key));
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }

  /** Fire and forget: a failed write only costs another instance a backend request. */
  put(entry: CacheEntry, ttlMs: number): void {
    if (this.#cmd.status !== 'ready' || entry.body.length > this.#options.maxObjectBytes) return;
    this.#cmd
      .set(this.#keyPrefix + entry.key, encodeEntry(entry), 'PX', Math.max(1, Math.ceil(ttlMs)))
      .catch(() => {});
  }

  /** What is stored beside the entry `key` under `name`, within the tier's time budget; undefined when nothing is. */
  getBeside(key: string, name: BesideName): Promise<Buffer | undefined> {
    if (this.#cmd.status !== 'ready') return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.#options.timeoutMs);
      this.#cmd.getBuffer(`${this.#keyPrefix}${key} ${name}`).then(
        (buf) => {
          clearTimeout(timer);
          resolve(buf ?? undefined);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
    });
  }

  /** Fire and forget, bounded like an entry: `value` lives no longer than the entry it is stored beside. */
  putBeside(key: string, name: BesideName, value: Buffer): void {
    if (this.#cmd.status !== 'ready' || value.length > this.#options.maxObjectBytes) return;
    const entryKey = this.#keyPrefix + key;
    this.#cmd.eval(PUT_BESIDE, 2, entryKey, `${entryKey} ${name}`, value).catch(() => {});
  }

  /** Deletes exact keys (and what is stored beside them) here and tells the other instances to drop them from memory. */
  invalidate(keys: string[]): void {
    if (this.#cmd.status !== 'ready') return;
    const stored: string[] = [];
    for (const k of keys) {
      stored.push(this.#keyPrefix + k);
      for (const name of BESIDE_NAMES) stored.push(`${this.#keyPrefix}${k} ${name}`);
    }
    this.#cmd.del(...stored).catch(() => {});
    this.#publish({ keys }).catch(() => {});
  }

  /** Removes the host's entries (below `prefix`) from Redis, then announces the purge to every instance. */
  async purge(host: string, prefix: string): Promise<void> {
    const pattern = `${this.#keyPrefix}*://${hostGlob(host)}${globEscape(prefix)}*`;
    const work = (async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.#cmd.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_BATCH);
        cursor = next;
        if (keys.length > 0) await this.#cmd.del(...keys);
      } while (cursor !== '0');
    })();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('cache purge in Redis took too long')), PURGE_DEADLINE_MS);
    });
    try {
      await Promise.race([work, deadline]);
    } finally {
      clearTimeout(timer);
    }
    await this.#publish({ host, prefix });
  }

  async #publish(message: PurgeMessage): Promise<void> {
    const envelope: Envelope = { ...message, origin: this.#id };
    await this.#cmd.publish(this.#channel, JSON.stringify(envelope));
  }
}
