/** The shared store for several instances: a Redis hash per namespace, a Stream as change feed, SET NX locks with fences. */
import { randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import {
  DEFAULT_CHANGE_FEED_BLOCK_MS,
  DEFAULT_CHANGE_FEED_MAXLEN,
  DEFAULT_RESYNC_INTERVAL_MS,
  DEFAULT_STORE_COMMAND_TIMEOUT_MS,
  DEFAULT_STORE_CONNECT_TIMEOUT_MS,
  DEFAULT_STORE_RETRY_MAX_MS,
  DEFAULT_STORE_RETRY_MIN_MS,
} from '../config/defaults.js';
import { configError, GerbangError, isGerbangError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { isNamespace } from './namespaces.js';
import {
  type Change,
  type Lock,
  type Namespace,
  type Store,
  type StoreEvents,
  type StoreState,
  storeKey,
} from './store.js';
import { StoreEmitter } from './store-emitter.js';

export interface RedisStoreOptions {
  /** redis://, rediss:// or redis+sentinel://[user:pass@]host:port,host:port/masterName[/db] */
  url: string;
  /** Prepended to every key, so several gateways (or tests) can share one Redis. */
  prefix: string;
  logger: Logger;
  /** How often consumers are told to re-read everything, to heal anything the feed missed. */
  resyncIntervalMs?: number;
  /** Reconnect backoff bounds; the delay doubles from min up to max. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** Entries read from the feed per round trip. */
const FEED_BATCH = 512;
/**
 * ioredis arms a timer of this length on disconnect() that only a socket 'close' clears; on a socket that had
 * already closed (Redis down) it would keep the process alive for the default 2 s after close().
 */
const DISCONNECT_TIMEOUT_MS = 100;

// Scripts rather than MULTI/EXEC: a transaction runs XADD even when HSET fails (WRONGTYPE), and a delete of a
// missing id would still be announced. In a script the write comes first, so a failing write announces nothing.
const PUT_SCRIPT = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', 'ns', ARGV[4], 'id', ARGV[1], 'op', 'put', 'origin', ARGV[5])
return 1`;

const DELETE_SCRIPT = `
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
if removed == 1 then
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'ns', ARGV[3], 'id', ARGV[1], 'op', 'delete', 'origin', ARGV[4])
end
return removed`;

// The fence grows only when the lock is really taken, in the same atomic step.
const LOCK_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return redis.call('INCR', KEYS[2])
end
return false`;

/** Between a counter's record and its field in a group's hash: a record may hold any other character. */
const COUNTER_SEPARATOR = '\u001f';

const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

export class RedisStore implements Store {
  readonly kind = 'redis';
  /** Written as `origin` on every feed entry, to tell instances apart when reading the stream by hand. */
  readonly instanceId: string = randomUUID();

  readonly #prefix: string;
  readonly #feedKey: string;
  readonly #logger: Logger;
  readonly #events: StoreEmitter;
  readonly #resyncIntervalMs: number;
  readonly #retryMinMs: number;
  readonly #retryMaxMs: number;
  readonly #cmd: Redis;
  /** Dedicated to XREAD BLOCK, which would otherwise hold every other command behind it. */
  readonly #feed: Redis;

  #state: StoreState = 'disconnected';
  #started = false;
  #closed = false;
  #downSince: number | undefined;
  #lastError: string | undefined;
  /** Feed position; undefined until the first (re)connect has read the stream head. */
  #cursor: string | undefined;
  /** Bumped when a resync moves the cursor, so an XREAD issued before it cannot move it back. */
  #cursorEpoch = 0;
  #onReadyTask: Promise<void> = Promise.resolve();
  #feedLoop: Promise<void> = Promise.resolve();
  #resyncTimer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(options: RedisStoreOptions) {
    this.#prefix = options.prefix;
    this.#feedKey = `${options.prefix}changes`;
    this.#resyncIntervalMs = options.resyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS;
    this.#retryMinMs = options.retryMinMs ?? DEFAULT_STORE_RETRY_MIN_MS;
    this.#retryMaxMs = options.retryMaxMs ?? DEFAULT_STORE_RETRY_MAX_MS;
    this.#logger = options.logger.child({
      component: 'store',
      store: 'redis',
      redis: redactUrl(options.url),
    });
    this.#events = new StoreEmitter(this.#logger);

    const connection = connectionOptions(options.url);
    const common: RedisOptions = {
      ...connection,
      lazyConnect: true,
      // Fail fast while disconnected: nothing queues, nothing is resent after a reconnect (a resent write could
      // land after its caller was told it failed), and in-flight commands are rejected when the socket drops.
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      connectTimeout: DEFAULT_STORE_CONNECT_TIMEOUT_MS,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
      retryStrategy: (attempt: number) => this.#backoff(attempt),
      connectionName: `gerbang-${this.instanceId.slice(0, 8)}`,
    };
    this.#cmd = new Redis({ ...common, commandTimeout: DEFAULT_STORE_COMMAND_TIMEOUT_MS });
    // A blocked read ends by itself after BLOCK ms (plus ioredis' grace), even on a half-dead socket.
    this.#feed = new Redis({ ...common, blockingTimeout: DEFAULT_CHANGE_FEED_BLOCK_MS });

    this.#cmd.on('ready', () => {
      this.#onReadyTask = this.#onReady();
    });
    this.#cmd.on('close', () => this.#onClose());
    this.#cmd.on('error', (err: Error) => {
      this.#lastError = err.message;
      this.#logger.debug({ err: err.message }, 'redis connection error');
    });
    this.#feed.on('ready', () => this.#nudge());
    this.#feed.on('error', (err: Error) => {
      this.#logger.debug({ err: err.message }, 'redis change feed connection error');
    });
  }

  get state(): StoreState {
    return this.#state;
  }

  /** Resolves after the first connection attempt, successful or not: a gateway must start with Redis down. */
  async start(): Promise<void> {
    if (this.#started) throw new GerbangError('INTERNAL', 'redis store started twice');
    this.#started = true;
    this.#feedLoop = this.#followFeed();
    this.#resyncTimer = setInterval(() => {
      if (this.#state === 'connected') this.#events.emit('resync');
    }, this.#resyncIntervalMs);
    this.#resyncTimer.unref();
    // Its failures are retried in the background exactly like the main connection's.
    this.#feed.connect().catch(() => {});
    let failure: unknown;
    try {
      await this.#cmd.connect();
      await this.#onReadyTask;
    } catch (err) {
      failure = err;
    }
    // Also covers a connection that dropped again before the first resync could read the feed head.
    if (this.#state !== 'connected' && !this.#closed) {
      this.#downSince ??= Date.now();
      this.#logger.warn(
        { err: this.#lastError ?? (failure === undefined ? undefined : messageOf(failure)) },
        'Redis unreachable at start; serving the last persisted snapshot and retrying in the background',
      );
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#resyncTimer);
    this.#nudge();
    // A blocked XREAD would hold QUIT back for up to BLOCK ms, and there is nothing on this connection to flush.
    this.#feed.disconnect();
    if (this.#cmd.status === 'ready') {
      await this.#cmd.quit().catch(() => {});
    }
    // Also stops a pending reconnect timer when we never connected.
    this.#cmd.disconnect();
    await this.#feedLoop;
    await this.#onReadyTask.catch(() => {});
    this.#state = 'disconnected';
  }

  get(ns: Namespace, id: string): Promise<string | undefined> {
    return this.#run('get', async () => (await this.#cmd.hget(storeKey(this.#prefix, ns), id)) ?? undefined);
  }

  getAll(ns: Namespace): Promise<Map<string, string>> {
    return this.#run(
      'getAll',
      async () => new Map(Object.entries(await this.#cmd.hgetall(storeKey(this.#prefix, ns)))),
    );
  }

  put(ns: Namespace, id: string, value: string): Promise<void> {
    return this.#run('put', async () => {
      await this.#cmd.eval(
        PUT_SCRIPT,
        2,
        storeKey(this.#prefix, ns),
        this.#feedKey,
        id,
        value,
        DEFAULT_CHANGE_FEED_MAXLEN,
        ns,
        this.instanceId,
      );
    });
  }

  delete(ns: Namespace, id: string): Promise<boolean> {
    return this.#run('delete', async () => {
      const removed = await this.#cmd.eval(
        DELETE_SCRIPT,
        2,
        storeKey(this.#prefix, ns),
        this.#feedKey,
        id,
        DEFAULT_CHANGE_FEED_MAXLEN,
        ns,
        this.instanceId,
      );
      return removed === 1;
    });
  }

  addCounters(group: string, record: string, deltas: Readonly<Record<string, number>>): Promise<void> {
    return this.#run('addCounters', async () => {
      const key = `${this.#prefix}counters:${group}`;
      const multi = this.#cmd.multi();
      for (const [field, delta] of Object.entries(deltas)) {
        if (!Number.isSafeInteger(delta))
          throw new GerbangError('INTERNAL', `counter ${field}: ${delta} is not an integer`);
        if (delta !== 0) multi.hincrby(key, `${record}${COUNTER_SEPARATOR}${field}`, delta);
      }
      const results = await multi.exec();
      for (const [err] of results ?? []) if (err) throw err;
    });
  }

  deleteCounters(group: string): Promise<boolean> {
    return this.#run(
      'deleteCounters',
      async () => (await this.#cmd.del(`${this.#prefix}counters:${group}`)) > 0,
    );
  }

  readCounters(group: string): Promise<Map<string, Record<string, number>>> {
    return this.#run('readCounters', async () => {
      const flat = await this.#cmd.hgetall(`${this.#prefix}counters:${group}`);
      const records = new Map<string, Record<string, number>>();
      for (const [name, value] of Object.entries(flat)) {
        const cut = name.lastIndexOf(COUNTER_SEPARATOR);
        const n = Number(value);
        if (cut < 0 || !Number.isFinite(n)) continue;
        const record = name.slice(0, cut);
        let counters = records.get(record);
        if (counters === undefined) {
          counters = {};
          records.set(record, counters);
        }
        counters[name.slice(cut + 1)] = n;
      }
      return records;
    });
  }

  tryLock(name: string, ttlMs: number): Promise<Lock | undefined> {
    return this.#run('tryLock', async () => {
      if (!(ttlMs > 0)) throw new GerbangError('INTERNAL', `lock ttl must be positive, got ${ttlMs}`);
      const lockKey = `${this.#prefix}lock:${name}`;
      const token = randomUUID();
      const fence = await this.#cmd.eval(
        LOCK_SCRIPT,
        2,
        lockKey,
        `${this.#prefix}fence:${name}`,
        token,
        Math.ceil(ttlMs),
      );
      if (fence === null) return undefined;
      if (typeof fence !== 'number') {
        throw new GerbangError('STATE_CORRUPT', `lock ${name}: unexpected fence ${String(fence)}`);
      }
      return {
        fence,
        // Best effort: the lock expires by itself, and a release failing inside a `finally` must not mask
        // the error that brought us there.
        release: async () => {
          try {
            await this.#run('release', () => this.#cmd.eval(UNLOCK_SCRIPT, 1, lockKey, token));
          } catch (err) {
            this.#logger.warn(
              { lock: name, err: messageOf(err) },
              'lock release failed; it will expire by itself',
            );
          }
        },
      };
    });
  }

  on<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.#events.on(event, listener);
  }

  off<E extends keyof StoreEvents>(event: E, listener: StoreEvents[E]): void {
    this.#events.off(event, listener);
  }

  async #run<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new GerbangError('STORE_UNAVAILABLE', 'redis store is closed');
    if (this.#state !== 'connected') {
      throw new GerbangError('STORE_UNAVAILABLE', `store ${what} refused: Redis is unreachable`);
    }
    try {
      return await op();
    } catch (err) {
      throw toStoreError(what, err);
    }
  }

  #backoff(attempt: number): number {
    return Math.min(this.#retryMinMs * 2 ** Math.max(0, attempt - 1), this.#retryMaxMs);
  }

  /** Reads the feed head before announcing the resync, so every later change is still seen on the feed. */
  async #onReady(): Promise<void> {
    try {
      const head = await this.#cmd.xrevrange(this.#feedKey, '+', '-', 'COUNT', 1);
      this.#moveCursor(head[0]?.[0] ?? '0-0');
    } catch (err) {
      // Dropped again before we got the head: the next 'ready' starts over.
      if (this.#closed || this.#cmd.status !== 'ready') return;
      this.#logger.error({ err: messageOf(err), key: this.#feedKey }, 'cannot read the change feed head');
      this.#moveCursor('$');
    }
    if (this.#closed) return;
    const downSince = this.#downSince;
    this.#downSince = undefined;
    this.#lastError = undefined;
    if (downSince === undefined) this.#logger.info('connected to Redis');
    else this.#logger.info({ downMs: Date.now() - downSince }, 'reconnected to Redis; resyncing');
    this.#setState('connected');
    this.#events.emit('resync');
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#downSince ??= Date.now();
    // 'close' fires on every failed retry too; only the transition is worth a log line.
    if (this.#state === 'connected') {
      this.#logger.warn(
        { err: this.#lastError },
        'lost connection to Redis; serving the last snapshot, writes fail until it is back',
      );
      this.#setState('disconnected');
    }
  }

  #setState(state: StoreState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.#events.emit('state', state);
  }

  #moveCursor(id: string): void {
    this.#cursor = id;
    this.#cursorEpoch++;
    this.#nudge();
  }

  async #followFeed(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      const cursor = this.#cursor;
      const epoch = this.#cursorEpoch;
      if (cursor === undefined || this.#feed.status !== 'ready') {
        await this.#pause(DEFAULT_CHANGE_FEED_BLOCK_MS);
        continue;
      }
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = await this.#feed.xread(
          'COUNT',
          FEED_BATCH,
          'BLOCK',
          DEFAULT_CHANGE_FEED_BLOCK_MS,
          'STREAMS',
          this.#feedKey,
          cursor,
        );
        failures = 0;
      } catch (err) {
        if (this.#closed) break;
        failures++;
        // A dropped connection is reported by the state change; only a live connection failing is news.
        if (failures === 1 && this.#feed.status === 'ready') {
          this.#logger.error(
            { err: messageOf(err), key: this.#feedKey },
            'change feed read failed; retrying',
          );
        }
        await this.#pause(this.#backoff(failures));
        continue;
      }
      if (reply === null || epoch !== this.#cursorEpoch) continue;
      for (const [, entries] of reply) {
        for (const [entryId, fields] of entries) {
          this.#cursor = entryId;
          const change = parseChange(fields);
          if (change) this.#events.emit('change', change);
          else this.#logger.warn({ entryId, fields }, 'change feed entry not understood; skipped');
        }
      }
    }
  }

  /** Sleeps up to `ms`, cut short by a nudge (feed reconnected, cursor moved, store closing). */
  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  #nudge(): void {
    this.#wake?.();
  }
}

function parseChange(fields: string[]): Change | undefined {
  const record = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const key = fields[i];
    const value = fields[i + 1];
    if (key !== undefined && value !== undefined) record.set(key, value);
  }
  const ns = record.get('ns');
  const id = record.get('id');
  const op = record.get('op');
  if (ns === undefined || !isNamespace(ns) || id === undefined) return undefined;
  return op === 'put' || op === 'delete' ? { ns, id, op } : undefined;
}

function toStoreError(what: string, err: unknown): GerbangError {
  if (isGerbangError(err)) return err;
  const message = messageOf(err);
  // A key of the wrong type is damaged data, not an outage: retrying will not help.
  if (err instanceof Error && err.name === 'ReplyError' && message.startsWith('WRONGTYPE')) {
    return new GerbangError('STATE_CORRUPT', `store ${what}: ${message}`);
  }
  return new GerbangError('STORE_UNAVAILABLE', `store ${what} failed: ${message}`);
}

/** ioredis options for a URL (also used by the cache's Redis tier); Sentinel URLs list sentinels and name the master. */
export function connectionOptions(url: string): RedisOptions {
  if (/^rediss?:\/\//i.test(url)) {
    const parsed = new URL(url);
    const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
    if (!Number.isInteger(db)) {
      throw configError('GERBANG_REDIS_URL', `database "${parsed.pathname}" is not a number`);
    }
    const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
    return {
      host,
      port: parsed.port ? Number(parsed.port) : 6379,
      db,
      ...credentials(parsed.username, parsed.password),
      // SNI must be a name: Node refuses (and warns about) an IP address as servername.
      ...(parsed.protocol.toLowerCase() === 'rediss:' ? { tls: isIP(host) ? {} : { servername: host } } : {}),
    };
  }
  const sentinel = /^redis\+sentinel:\/\/(?:([^@/]*)@)?([^/?]+)\/([^/?]+)(?:\/(\d+))?\/?(?:\?.*)?$/i.exec(
    url,
  );
  if (sentinel) {
    const [, auth = '', hosts = '', name = '', db = '0'] = sentinel;
    const [user = '', pass = ''] = auth.split(':');
    return {
      sentinels: hosts.split(',').map(parseHostPort),
      name: decodeURIComponent(name),
      db: Number(db),
      ...credentials(user, pass),
    };
  }
  throw configError('GERBANG_REDIS_URL', 'must start with redis://, rediss:// or redis+sentinel://');
}

function credentials(user: string, pass: string): Pick<RedisOptions, 'username' | 'password'> {
  return {
    ...(user ? { username: decodeURIComponent(user) } : {}),
    ...(pass ? { password: decodeURIComponent(pass) } : {}),
  };
}

function parseHostPort(hostPort: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!match?.[1]) throw configError('GERBANG_REDIS_URL', `bad sentinel address "${hostPort}"`);
  return { host: match[1], port: match[2] ? Number(match[2]) : 26379 };
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
