/** Every instance's listeners, recorded in the store (`meta`, `instance:<id>`), so that no route of any instance can reach another Gerbang. */
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { Type } from '@sinclair/typebox';
import { DEFAULT_INSTANCE_HEARTBEAT_MS, DEFAULT_INSTANCE_RECORD_TTL_MS } from '../config/defaults.js';
import type { OwnListener, TargetPolicy } from '../model/target-policy.js';
import { compileValidator } from '../model/validate.js';
import type { Logger } from '../observability/logger.js';
import type { Change, Store } from '../store/store.js';

const PREFIX = 'instance:';
const MAX_LISTENERS = 1024;

const RecordSchema = Type.Object({
  listeners: Type.Array(
    Type.Object({
      host: Type.String({ minLength: 1, maxLength: 64 }),
      port: Type.Integer({ minimum: 1, maximum: 65535 }),
    }),
    { maxItems: MAX_LISTENERS },
  ),
  /** Epoch ms after which the record is of an instance that stopped without removing it. */
  expiresAt: Type.Number(),
  // Optional: records written by instances older than the instance listing have none of these.
  startedAt: Type.Optional(Type.Number()),
  seenAt: Type.Optional(Type.Number()),
  version: Type.Optional(Type.String({ maxLength: 64 })),
});
const instanceRecord = compileValidator(RecordSchema);

interface InstanceRecord {
  listeners: OwnListener[];
  expiresAt: number;
  startedAt?: number;
  seenAt?: number;
  version?: string;
}

/** One live instance as GET /v1/instances and Konsol's system page show it. */
export interface InstanceView {
  id: string;
  /** True for the instance that answers. */
  self: boolean;
  listeners: OwnListener[];
  startedAt: string | null;
  lastSeenAt: string | null;
  version: string | null;
}

export interface InstanceListenersOptions {
  store: Store;
  policy: TargetPolicy;
  logger: Logger;
  heartbeatMs?: number;
  ttlMs?: number;
  /** This instance's Gerbang version, recorded for the others' listing. */
  version?: string;
}

/** What a bind really listens on: a wildcard (0.0.0.0, ::) is every address of this machine's interfaces. */
export function expandListeners(listeners: readonly OwnListener[]): OwnListener[] {
  const out = new Map<string, OwnListener>();
  const interfaces = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
  for (const { host, port } of listeners) {
    if (port === 0) continue;
    const wildcard = host === '0.0.0.0' || host === '::' || host === '';
    const hosts = wildcard
      ? interfaces
          .filter((i) => host !== '0.0.0.0' || i.family === 'IPv4')
          .filter((i) => !i.address.includes('%') && !i.address.toLowerCase().startsWith('fe80:'))
          .map((i) => i.address)
      : [host];
    for (const h of hosts) out.set(`${h}:${port}`, { host: h, port });
  }
  return [...out.values()].slice(0, MAX_LISTENERS);
}

export class InstanceListeners {
  readonly id = randomUUID();
  private readonly records = new Map<string, InstanceRecord>();
  private own: OwnListener[] = [];
  /** This instance's own listeners as bound, whatever the store (the embedded one records nothing). */
  private bound: OwnListener[] = [];
  private readonly startedAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly heartbeatMs: number;
  private readonly ttlMs: number;
  private readonly onChangeBound = (change: Change): void => void this.onChange(change);
  private readonly onResyncBound = (): void => void this.resync();

  constructor(private readonly options: InstanceListenersOptions) {
    this.heartbeatMs = options.heartbeatMs ?? DEFAULT_INSTANCE_HEARTBEAT_MS;
    this.ttlMs = options.ttlMs ?? DEFAULT_INSTANCE_RECORD_TTL_MS;
  }

  /** Reads every instance's record (before config hosts are checked) and follows the change feed. */
  async start(): Promise<void> {
    const { store } = this.options;
    store.on('change', this.onChangeBound);
    store.on('resync', this.onResyncBound);
    if (store.state === 'connected') await this.resync();
    // Also drops the records that expire while nothing changes.
    this.timer = setInterval(() => void this.beat(), this.heartbeatMs);
    this.timer.unref();
  }

  /**
   * Records this instance's bound listeners (after listen) for the others. The embedded store has no other
   * instance to tell (its own listeners are known to the policy directly), so nothing is written there.
   */
  async announce(listeners: readonly OwnListener[]): Promise<void> {
    this.bound = listeners.filter((l) => l.port !== 0).map((l) => ({ host: l.host, port: l.port }));
    if (this.options.store.kind !== 'redis') return;
    this.own = expandListeners(listeners);
    await this.write();
  }

  /** Removes this instance's record: its ports may be reused by a backend once it is gone. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const { store, logger } = this.options;
    store.off('change', this.onChangeBound);
    store.off('resync', this.onResyncBound);
    if (this.own.length === 0) return;
    try {
      await store.delete('meta', PREFIX + this.id);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'instance record not removed; it expires by itself');
    }
  }

  private async beat(): Promise<void> {
    if (this.own.length > 0) await this.write();
    this.publish();
  }

  private async write(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    const record: InstanceRecord = {
      listeners: this.own,
      expiresAt: now + this.ttlMs,
      startedAt: this.startedAt,
      seenAt: now,
      ...(this.options.version ? { version: this.options.version } : {}),
    };
    this.records.set(this.id, record);
    try {
      await this.options.store.put('meta', PREFIX + this.id, JSON.stringify(record));
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'instance listeners not recorded in the store; retried at the next heartbeat',
      );
    }
  }

  private async onChange(change: Change): Promise<void> {
    if (change.ns !== 'meta' || !change.id.startsWith(PREFIX)) return;
    const id = change.id.slice(PREFIX.length);
    try {
      const raw = await this.options.store.get('meta', change.id);
      const record = raw === undefined ? undefined : this.decode(change.id, raw);
      if (record) this.records.set(id, record);
      else if (raw === undefined && id !== this.id) this.records.delete(id);
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'instance record unread; the next resync reads it',
      );
      return;
    }
    this.publish();
  }

  private async resync(): Promise<void> {
    let all: Map<string, string>;
    try {
      all = await this.options.store.getAll('meta');
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'instance records unread; keeping the known ones',
      );
      return;
    }
    const mine = this.records.get(this.id);
    this.records.clear();
    if (mine) this.records.set(this.id, mine);
    const longGone = Date.now() - this.ttlMs;
    for (const [key, raw] of all) {
      if (!key.startsWith(PREFIX)) continue;
      const record = this.decode(key, raw);
      if (!record) continue;
      // An instance that died without removing its record: anyone may clear it, well after it expired.
      if (record.expiresAt < longGone) void this.options.store.delete('meta', key).catch(() => undefined);
      else this.records.set(key.slice(PREFIX.length), record);
    }
    this.publish();
  }

  private decode(key: string, raw: string): InstanceRecord | undefined {
    try {
      const value: unknown = JSON.parse(raw);
      if (instanceRecord.check(value)) return value;
    } catch {
      // Reported below.
    }
    this.options.logger.error({ ns: 'meta', key }, 'corrupt instance record skipped');
    return undefined;
  }

  /** The live instances, this one first; an expired record is of an instance that is gone. */
  list(): InstanceView[] {
    const now = Date.now();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const self: InstanceView = {
      id: this.id,
      self: true,
      listeners: this.bound,
      startedAt: iso(this.startedAt),
      lastSeenAt: iso(this.records.get(this.id)?.seenAt ?? now),
      version: this.options.version ?? null,
    };
    const others: InstanceView[] = [];
    for (const [id, record] of this.records) {
      if (id === this.id || record.expiresAt < now) continue;
      others.push({
        id,
        self: false,
        listeners: record.listeners,
        startedAt: iso(record.startedAt),
        // Older records have no seenAt: their last heartbeat is one record lifetime before expiry.
        lastSeenAt: iso(record.seenAt ?? record.expiresAt - this.ttlMs),
        version: record.version ?? null,
      });
    }
    others.sort((a, b) => (a.id < b.id ? -1 : 1));
    return [self, ...others];
  }

  /** Hands the live records' listeners to the policy; expired records no longer count. */
  private publish(): void {
    const now = Date.now();
    const listeners: OwnListener[] = [];
    for (const [id, record] of this.records) {
      if (record.expiresAt < now && id !== this.id) continue;
      listeners.push(...record.listeners);
    }
    this.options.policy.setInfrastructure('instances', 'a Gerbang instance', listeners);
  }
}
