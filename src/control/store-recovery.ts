/** After the shared store came back empty without deletions: an admin either accepts the empty store or writes this instance's last known good copy back into it; both audited. */
import { STORE_RECOVERY_LOCK_TTL_MS } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import { decodeHost, encodeHost } from '../model/stored-host.js';
import type { Logger } from '../observability/logger.js';
import type { Namespace, Store } from '../store/store.js';
import { writeStoreMarker } from '../store/store-marker.js';
import type { Actor, AuditLog } from './audit-log.js';
import { loadLastSnapshot } from './last-snapshot.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';

export interface StoreRecoveryOptions {
  store: Store;
  publisher: SnapshotPublisher;
  stateDir: string;
  logger: Logger;
  audit?: AuditLog;
}

export interface RecoveryStatus {
  store: 'embedded' | 'redis';
  connected: boolean;
  /** Seconds the route table may lag the store (0 while connected); null when it never matched it. */
  stalenessSeconds: number | null;
  lastSyncAt: string | null;
  suspectEmpty: boolean;
  /** Hosts this instance routes from the store right now (kept from before, while suspect). */
  routedHosts: number;
  lastSnapshot: { savedAt: string | null; hosts: number; agencies: number; tokens: number } | null;
}

export interface RestoreResult {
  /** Written back; entries the store already holds again (written since the flush) are left as they are. */
  hosts: number;
  agencies: number;
  tokens: number;
  alreadyPresent: number;
  /** Hosts of the copy that no longer validate. */
  invalid: number;
}

export class StoreRecovery {
  constructor(private readonly options: StoreRecoveryOptions) {}

  async status(): Promise<RecoveryStatus> {
    const { store, publisher, stateDir } = this.options;
    const snapshot = await loadLastSnapshot(stateDir).catch(() => undefined);
    const stale = publisher.staleness();
    return {
      store: store.kind,
      connected: store.state === 'connected',
      stalenessSeconds: Number.isFinite(stale) ? Math.round(stale) : null,
      lastSyncAt: publisher.lastSyncAt(),
      suspectEmpty: publisher.suspectEmpty,
      routedHosts: publisher.list().filter((h) => h.source === 'store').length,
      lastSnapshot: snapshot
        ? {
            savedAt: snapshot.savedAt ?? null,
            hosts: snapshot.hosts.length,
            agencies: snapshot.agencies.size,
            tokens: snapshot.tokens.size,
          }
        : null,
    };
  }

  /** The store really is meant to be empty: route from it (every stored host goes) and overwrite the local copy. */
  async confirmEmpty(actor: Actor): Promise<{ dropped: number }> {
    return this.whileSuspect(async () => {
      const { store, publisher, audit } = this.options;
      const dropped = publisher.list().filter((h) => h.source === 'store').length;
      await writeStoreMarker(store, 'empty store confirmed by an admin');
      await audit?.append(actor, {
        action: 'store.confirm-empty',
        target: 'store',
        owners: [],
        before: { hosts: dropped },
        after: { hosts: 0 },
      });
      this.options.logger.warn({ dropped, by: actor.principal.tokenId }, 'empty store confirmed by an admin');
      await publisher.resyncNow();
      return { dropped };
    });
  }

  /** Writes this instance's last known good hosts, agencies and tokens back into the store. */
  async restore(actor: Actor): Promise<RestoreResult> {
    return this.whileSuspect(async () => {
      const { store, publisher, audit, stateDir } = this.options;
      let snapshot: Awaited<ReturnType<typeof loadLastSnapshot>>;
      try {
        snapshot = await loadLastSnapshot(stateDir);
      } catch (err) {
        throw new GerbangError(
          'CONFLICT',
          `this instance has no readable last snapshot to restore from (${(err as Error).message}); restore from another instance or confirm the empty store`,
        );
      }
      const result: RestoreResult = { hosts: 0, agencies: 0, tokens: 0, alreadyPresent: 0, invalid: 0 };
      const owners = new Set<string>();
      const hosts = new Map<string, string>();
      for (const value of snapshot.hosts) {
        const id = (value as { host?: unknown })?.host;
        try {
          if (typeof id !== 'string') throw new Error('no host name');
          const doc = decodeHost(id, JSON.stringify(value));
          hosts.set(id, encodeHost(doc));
          if (doc.agency) owners.add(doc.agency);
        } catch {
          result.invalid++;
        }
      }
      result.hosts = await this.writeAbsent('hosts', hosts, result);
      result.agencies = await this.writeAbsent('agencies', snapshot.agencies, result);
      result.tokens = await this.writeAbsent('tokens', snapshot.tokens, result);
      await writeStoreMarker(store, 'restored by an admin from an instance snapshot');
      await audit?.append(actor, {
        action: 'store.restore',
        target: 'store',
        owners: [...owners],
        before: null,
        after: { ...result, savedAt: snapshot.savedAt ?? null },
      });
      this.options.logger.warn(
        { ...result, savedAt: snapshot.savedAt, by: actor.principal.tokenId },
        'store restored from this instance’s last snapshot',
      );
      await publisher.resyncNow();
      return result;
    });
  }

  /** Entries already back in the store were written after the flush: newer than our copy, so they stay. */
  private async writeAbsent(
    ns: Namespace,
    entries: Map<string, string>,
    result: RestoreResult,
  ): Promise<number> {
    const { store } = this.options;
    let written = 0;
    for (const [id, raw] of entries) {
      if ((await store.get(ns, id)) !== undefined) {
        result.alreadyPresent++;
        continue;
      }
      await store.put(ns, id, raw);
      written++;
    }
    return written;
  }

  /** Only while this instance holds the store for suspect, and one recovery at a time across instances. */
  private async whileSuspect<T>(work: () => Promise<T>): Promise<T> {
    if (!this.options.publisher.suspectEmpty) {
      throw new GerbangError(
        'CONFLICT',
        'the store is not held as suspect on this instance: there is nothing to confirm or restore',
      );
    }
    const lock = await this.options.store.tryLock('store-recovery', STORE_RECOVERY_LOCK_TTL_MS);
    if (!lock) throw new GerbangError('CONFLICT', 'another store recovery is in progress; try again');
    try {
      return await work();
    } finally {
      await lock.release().catch(() => undefined);
    }
  }
}
