/** Owns the route table's truth on this instance: mirrors the store's hosts plus the YAML's, compiles snapshots, swaps them in. */
import type { TargetStates } from '../data/proxy/balancer.js';
import type { UpstreamPools } from '../data/proxy/upstream-pools.js';
import {
  type CompiledHostCache,
  compileSnapshot,
  type SourcedHost,
} from '../data/routing/compile-snapshot.js';
import type { SnapshotHolder } from '../data/routing/snapshot.js';
import type { HostDoc, HostSource } from '../model/host-schema.js';
import { decodeHost } from '../model/stored-host.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Change, Store, StoreState } from '../store/store.js';
import { hasStoreMarker, STORE_MARKER_ID, writeStoreMarker } from '../store/store-marker.js';
import { lastSnapshotPath, loadLastSnapshot, saveLastSnapshot } from './last-snapshot.js';

export interface PublisherOptions {
  store: Store;
  holder: SnapshotHolder;
  pools: UpstreamPools;
  states: TargetStates;
  logger: Logger;
  metrics: GatewayMetrics;
  stateDir: string;
}

/** One resync's read; `verdict` and `registry` only for a shared store. */
interface StoreRead {
  hosts: Map<string, string>;
  registry?: { agencies: Map<string, string>; tokens: Map<string, string> };
  verdict?: 'vouched' | 'flushed' | 'changing';
}

export class SnapshotPublisher {
  private readonly storeHosts = new Map<string, HostDoc>();
  private configHosts = new Map<string, HostDoc>();
  /** One write recompiles one host: the rebuild's cost stays flat as the table grows. */
  private readonly compiledHosts: CompiledHostCache = new WeakMap();
  private version = 0;
  private dirty = false;
  private compileScheduled = false;
  private persistRunning: Promise<void> | undefined;
  private persistAgain = false;
  /** Date.now() of the last moment the mirror was known to match the store. */
  private syncedAt = 0;
  /** Raw agencies and tokens of a shared store, kept only for the local copy a restore writes back. */
  private readonly registryRaw = { agencies: new Map<string, string>(), tokens: new Map<string, string>() };
  /** The shared store came back without our hosts and without its marker: we keep ours until an admin decides. */
  private suspect = false;
  /** The marker was seen in (or written to) the store by this process; reset when a resync misses it. */
  private markerSeen = false;
  /** Hosts the feed changed while a resync was reading: its copy of them may be older than ours. */
  private touchedDuringResync: Set<string> | undefined;
  private resyncsRunning = 0;
  ready = false;

  constructor(private readonly options: PublisherOptions) {}

  async start(): Promise<void> {
    const { store } = this.options;
    store.on('change', (change) => void this.onChange(change));
    store.on('resync', () => void this.resync());
    store.on('state', (state) => this.onState(state));
    // Also when Redis answers: if it answers empty, these are the hosts it must not silently take away.
    if (store.kind === 'redis') await this.loadLastSnapshot(store.state === 'connected');
    if (store.state === 'connected') await this.resync();
    this.compile();
    this.ready = this.syncedAt > 0 || this.storeHosts.size > 0 || this.configHosts.size > 0;
  }

  /** Hosts declared in the YAML file: they win over a stored host of the same name. */
  setConfigHosts(docs: readonly HostDoc[]): void {
    this.configHosts = new Map(docs.map((d) => [d.host, d]));
    this.markDirty();
    this.compile();
  }

  lookup(name: string): { doc: HostDoc; source: HostSource } | undefined {
    const fromConfig = this.configHosts.get(name);
    if (fromConfig) return { doc: fromConfig, source: 'config' };
    const fromStore = this.storeHosts.get(name);
    return fromStore ? { doc: fromStore, source: 'store' } : undefined;
  }

  list(): Array<{ doc: HostDoc; source: HostSource }> {
    return [...this.sourced()]
      .map((s) => ({ doc: s.doc, source: s.source }))
      .sort((a, b) => (a.doc.host < b.doc.host ? -1 : 1));
  }

  /** Applies a write this instance just made, so it is live before the API answers (the feed confirms it later). */
  applyLocal(name: string, doc: HostDoc | undefined): void {
    if (doc) this.storeHosts.set(name, doc);
    else this.storeHosts.delete(name);
    this.markDirty();
    this.compile();
  }

  /** True while the shared store is empty (or replaced) without deletions and we keep serving our last hosts. */
  get suspectEmpty(): boolean {
    return this.suspect;
  }

  /** Re-reads the store now (after an admin confirmed or restored it); resolves when the table is rebuilt. */
  resyncNow(): Promise<void> {
    return this.resync();
  }

  /** When the route table last matched the store (ISO), or null if it never has. */
  lastSyncAt(): string | null {
    return this.syncedAt === 0 ? null : new Date(this.syncedAt).toISOString();
  }

  /** Seconds the route table may lag the store: 0 while connected. */
  staleness(): number {
    if (this.options.store.state === 'connected') return 0;
    return this.syncedAt === 0 ? Number.POSITIVE_INFINITY : (Date.now() - this.syncedAt) / 1000;
  }

  updateGauges(): void {
    const { metrics, store } = this.options;
    metrics.storeConnected.set({ store: store.kind }, store.state === 'connected' ? 1 : 0);
    const stale = this.staleness();
    metrics.snapshotStaleness.set(Number.isFinite(stale) ? stale : -1);
    metrics.storeSuspectEmpty.set(this.suspect ? 1 : 0);
  }

  private onState(state: StoreState): void {
    const { logger, store } = this.options;
    if (state === 'disconnected') {
      logger.warn({ store: store.kind }, 'store unreachable: serving the last known route table');
    } else {
      logger.info({ store: store.kind }, 'store reachable again');
    }
  }

  private async onChange(change: Change): Promise<void> {
    // Another instance confirmed or restored the store we hold as suspect: look again now.
    if (change.ns === 'meta' && change.id === STORE_MARKER_ID)
      return this.suspect ? this.resync() : undefined;
    if (change.ns === 'agencies' || change.ns === 'tokens') return this.onRegistryChange(change);
    if (change.ns !== 'hosts') return;
    const { store, logger } = this.options;
    let raw: string | undefined;
    try {
      raw = await store.get('hosts', change.id);
    } catch (err) {
      logger.warn(
        { host: change.id, err: (err as Error).message },
        'could not read a changed host; the next resync will',
      );
      return;
    }
    // A put whose value is gone was not deleted: the store lost it (a flush); the next resync looks into it.
    if (raw === undefined && change.op === 'put') return;
    // Read after the change: newer than what a resync running meanwhile may have read before it.
    this.touchedDuringResync?.add(change.id);
    if (raw === undefined) this.storeHosts.delete(change.id);
    else {
      const doc = this.decode(change.id, raw);
      if (doc) this.storeHosts.set(change.id, doc);
      // The store holds data now: mark it at once, so deleting it all soon after is not taken for a flush.
      if (store.kind === 'redis' && !this.markerSeen && !this.suspect) void this.markStore();
    }
    this.markDirty();
    this.scheduleCompile();
  }

  private async markStore(): Promise<void> {
    this.markerSeen = true;
    try {
      if (!(await hasStoreMarker(this.options.store)))
        await writeStoreMarker(this.options.store, 'data seen');
    } catch (err) {
      this.markerSeen = false;
      this.options.logger.warn({ err: (err as Error).message }, 'could not mark the store; retried later');
    }
  }

  private async resync(): Promise<void> {
    this.resyncsRunning++;
    this.touchedDuringResync ??= new Set();
    try {
      await this.resyncOnce();
    } finally {
      if (--this.resyncsRunning === 0) this.touchedDuringResync = undefined;
    }
  }

  private async resyncOnce(): Promise<void> {
    const { store, logger } = this.options;
    let read: StoreRead;
    try {
      read = store.kind === 'redis' ? await this.readShared() : { hosts: await store.getAll('hosts') };
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'resync failed; keeping the current route table');
      return;
    }
    if (read.verdict !== undefined && read.verdict !== 'vouched') {
      if (read.verdict === 'flushed') this.holdAsSuspect(read.hosts.size);
      return;
    }
    const next = new Map<string, HostDoc>();
    const touched = this.touchedDuringResync ?? new Set<string>();
    for (const [id, raw] of read.hosts) {
      if (touched.has(id)) continue;
      const doc = this.decode(id, raw) ?? this.storeHosts.get(id);
      if (doc) next.set(id, doc);
    }
    for (const id of touched) {
      const doc = this.storeHosts.get(id);
      if (doc) next.set(id, doc);
    }
    this.storeHosts.clear();
    for (const [id, doc] of next) this.storeHosts.set(id, doc);
    if (read.registry) {
      for (const ns of ['agencies', 'tokens'] as const) {
        this.registryRaw[ns].clear();
        for (const [id, raw] of read.registry[ns]) this.registryRaw[ns].set(id, raw);
      }
    }
    this.syncedAt = Date.now();
    this.ready = true;
    if (this.suspect) {
      this.suspect = false;
      this.options.metrics.storeSuspectEmpty.set(0);
      logger.warn(
        { hosts: next.size },
        'the store is vouched for again (confirmed or restored): routing from it',
      );
    }
    this.markDirty();
    this.compile();
  }

  /**
   * Reads a shared store between two looks at its marker. Deletions leave the marker; a flush or a fresh server
   * loses it. Marker both times: the data is the store's truth. Missing, and none of our hosts in the store:
   * flushed or replaced, so we hold our hosts. Present only once: it changed under us, the next resync decides.
   * Missing with our hosts there (first start, an older Gerbang): the store gets the marker.
   */
  private async readShared(): Promise<StoreRead> {
    const { store } = this.options;
    const before = await hasStoreMarker(store);
    const hosts = await store.getAll('hosts');
    const registry = { agencies: await store.getAll('agencies'), tokens: await store.getAll('tokens') };
    const after = await hasStoreMarker(store);
    if (before && after) {
      this.markerSeen = true;
      return { hosts, registry, verdict: 'vouched' };
    }
    if (before !== after) return { hosts, verdict: 'changing' };
    this.markerSeen = false;
    const ours = [...this.storeHosts.keys()];
    if (ours.length > 0 && !ours.some((id) => hosts.has(id))) return { hosts, verdict: 'flushed' };
    if (hosts.size > 0) await this.markStore();
    return { hosts, registry, verdict: 'vouched' };
  }

  private holdAsSuspect(inStore: number): void {
    if (this.suspect) return;
    this.suspect = true;
    this.options.metrics.storeSuspectEmpty.set(1);
    this.options.logger.error(
      { code: 'STORE_SUSPECT_EMPTY', kept: this.storeHosts.size, inStore },
      'the store came back without our hosts and without any deletion (flushed or replaced Redis?): ' +
        'keeping the last route table; an admin must POST /v1/store/restore or /v1/store/confirm-empty',
    );
  }

  private async onRegistryChange(change: Change): Promise<void> {
    const { ns, id } = change;
    if (this.options.store.kind !== 'redis' || (ns !== 'agencies' && ns !== 'tokens')) return;
    let raw: string | undefined;
    try {
      raw = await this.options.store.get(ns, id);
    } catch {
      return; // the next resync reads it
    }
    if (raw === undefined && change.op === 'put') return; // lost, not deleted: see onChange
    if (raw === undefined) this.registryRaw[ns].delete(id);
    else this.registryRaw[ns].set(id, raw);
    if (this.syncedAt > 0 && !this.suspect) this.persist();
  }

  private decode(id: string, raw: string): HostDoc | undefined {
    try {
      return decodeHost(id, raw);
    } catch (err) {
      this.options.logger.error(
        { ns: 'hosts', key: id, err: (err as Error).message },
        'corrupt host value skipped',
      );
      this.options.metrics.storeValueErrors.inc({ ns: 'hosts' });
      return undefined;
    }
  }

  private *sourced(): Iterable<SourcedHost> {
    for (const [name, doc] of this.storeHosts)
      if (!this.configHosts.has(name)) yield { doc, source: 'store' };
    for (const doc of this.configHosts.values()) yield { doc, source: 'config' };
  }

  private markDirty(): void {
    this.dirty = true;
  }

  /** Bursts of feed changes compile once per turn of the event loop. */
  private scheduleCompile(): void {
    if (this.compileScheduled) return;
    this.compileScheduled = true;
    setImmediate(() => {
      this.compileScheduled = false;
      this.compile();
    });
  }

  private compile(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const { holder, pools, states, logger, metrics } = this.options;
    try {
      const { snapshot, origins } = compileSnapshot(
        this.sourced(),
        states,
        ++this.version,
        (host, err) => {
          logger.error({ host, err: err.message }, 'host skipped: it does not compile');
        },
        this.compiledHosts,
      );
      holder.swap(snapshot);
      pools.retain(origins);
      metrics.routeTableHosts.set(snapshot.exact.size + snapshot.wildcards.size);
      metrics.routeTableReloads.inc({ result: 'success' });
      metrics.routeTableLastReload.set(snapshot.builtAt / 1000);
    } catch (err) {
      metrics.routeTableReloads.inc({ result: 'failure' });
      logger.error({ err }, 'route table rebuild failed; the previous one stays');
      return;
    }
    // While the store is suspect our copy is the last known good one: it must not be overwritten.
    if (this.options.store.kind === 'redis' && this.syncedAt > 0 && !this.suspect) this.persist();
  }

  /** Keeps the last known good hosts (and registry) on local disk, so a restart while Redis is down still routes. */
  private persist(): void {
    if (this.persistRunning) {
      this.persistAgain = true;
      return;
    }
    const { stateDir, logger } = this.options;
    const snapshot = {
      savedAt: new Date().toISOString(),
      hosts: [...this.storeHosts.values()],
      agencies: Object.fromEntries(this.registryRaw.agencies),
      tokens: Object.fromEntries(this.registryRaw.tokens),
    };
    this.persistRunning = saveLastSnapshot(stateDir, snapshot)
      .catch((err: Error) => logger.warn({ err: err.message }, 'could not save the last snapshot'))
      .finally(() => {
        this.persistRunning = undefined;
        if (this.persistAgain) {
          this.persistAgain = false;
          this.persist();
        }
      });
  }

  /** `quiet`: Redis answers, so the copy is only a fallback for an empty store; no warning then. */
  private async loadLastSnapshot(quiet: boolean): Promise<void> {
    const { stateDir, logger } = this.options;
    const file = lastSnapshotPath(stateDir);
    let loaded: Awaited<ReturnType<typeof loadLastSnapshot>>;
    try {
      loaded = await loadLastSnapshot(stateDir);
    } catch (err) {
      if (!quiet) {
        logger.warn(
          { file, err: (err as Error).message },
          'no usable last snapshot: starting with an empty route table',
        );
      }
      return;
    }
    for (const value of loaded.hosts) {
      const id = (value as { host?: unknown })?.host;
      const doc = typeof id === 'string' ? this.decode(id, JSON.stringify(value)) : undefined;
      if (doc) this.storeHosts.set(doc.host, doc);
    }
    for (const ns of ['agencies', 'tokens'] as const) {
      for (const [id, raw] of loaded[ns]) this.registryRaw[ns].set(id, raw);
    }
    this.syncedAt = loaded.savedAt ? Date.parse(loaded.savedAt) || 0 : 0;
    this.markDirty();
    if (!quiet) {
      logger.warn(
        { file, hosts: this.storeHosts.size, savedAt: loaded.savedAt },
        'store unreachable: routing from the last snapshot',
      );
    }
  }

  /** Waits for a pending local snapshot write (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.persistRunning) await this.persistRunning;
  }
}
