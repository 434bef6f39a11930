/** Owns the route table's truth on this instance: mirrors the store's hosts plus the YAML's, compiles snapshots, swaps them in. */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TargetStates } from '../data/balancer.js';
import { compileSnapshot, type SourcedHost } from '../data/compile-snapshot.js';
import type { SnapshotHolder } from '../data/snapshot.js';
import type { UpstreamPools } from '../data/upstream-pools.js';
import type { HostDoc, HostSource } from '../model/host-schema.js';
import { decodeHost } from '../model/stored-host.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Change, Store, StoreState } from '../store/store.js';

const LAST_SNAPSHOT_FILE = 'last-snapshot.json';

export interface PublisherOptions {
  store: Store;
  holder: SnapshotHolder;
  pools: UpstreamPools;
  states: TargetStates;
  logger: Logger;
  metrics: GatewayMetrics;
  stateDir: string;
}

export class SnapshotPublisher {
  private readonly storeHosts = new Map<string, HostDoc>();
  private configHosts = new Map<string, HostDoc>();
  private version = 0;
  private dirty = false;
  private compileScheduled = false;
  private persistRunning: Promise<void> | undefined;
  private persistAgain = false;
  /** Date.now() of the last moment the mirror was known to match the store. */
  private syncedAt = 0;
  ready = false;

  constructor(private readonly options: PublisherOptions) {}

  async start(): Promise<void> {
    const { store } = this.options;
    store.on('change', (change) => void this.onChange(change));
    store.on('resync', () => void this.resync());
    store.on('state', (state) => this.onState(state));
    if (store.state === 'connected') {
      await this.resync();
    } else if (store.kind === 'redis') {
      await this.loadLastSnapshot();
    }
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
    if (raw === undefined) this.storeHosts.delete(change.id);
    else {
      const doc = this.decode(change.id, raw);
      if (doc) this.storeHosts.set(change.id, doc);
    }
    this.markDirty();
    this.scheduleCompile();
  }

  private async resync(): Promise<void> {
    const { store, logger } = this.options;
    let all: Map<string, string>;
    try {
      all = await store.getAll('hosts');
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'resync failed; keeping the current route table');
      return;
    }
    const next = new Map<string, HostDoc>();
    for (const [id, raw] of all) {
      const doc = this.decode(id, raw) ?? this.storeHosts.get(id);
      if (doc) next.set(id, doc);
    }
    this.storeHosts.clear();
    for (const [id, doc] of next) this.storeHosts.set(id, doc);
    this.syncedAt = Date.now();
    this.ready = true;
    this.markDirty();
    this.compile();
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
      const { snapshot, origins } = compileSnapshot(this.sourced(), states, ++this.version, (host, err) => {
        logger.error({ host, err: err.message }, 'host skipped: it does not compile');
      });
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
    if (this.options.store.kind === 'redis' && this.syncedAt > 0) this.persist();
  }

  /** Keeps the last known good hosts on local disk, so a restart while Redis is down still routes. */
  private persist(): void {
    if (this.persistRunning) {
      this.persistAgain = true;
      return;
    }
    const { stateDir, logger } = this.options;
    const file = join(stateDir, LAST_SNAPSHOT_FILE);
    const body = JSON.stringify({ savedAt: new Date().toISOString(), hosts: [...this.storeHosts.values()] });
    this.persistRunning = (async () => {
      await mkdir(stateDir, { recursive: true, mode: 0o700 });
      await writeFile(`${file}.tmp`, body, { mode: 0o600 });
      await rename(`${file}.tmp`, file);
    })()
      .catch((err: Error) => logger.warn({ err: err.message }, 'could not save the last snapshot'))
      .finally(() => {
        this.persistRunning = undefined;
        if (this.persistAgain) {
          this.persistAgain = false;
          this.persist();
        }
      });
  }

  private async loadLastSnapshot(): Promise<void> {
    const { stateDir, logger } = this.options;
    const file = join(stateDir, LAST_SNAPSHOT_FILE);
    let parsed: { savedAt?: string; hosts?: unknown[] };
    try {
      parsed = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      logger.warn(
        { file, err: (err as Error).message },
        'no usable last snapshot: starting with an empty route table',
      );
      return;
    }
    for (const value of parsed.hosts ?? []) {
      const id = (value as { host?: unknown })?.host;
      const doc = typeof id === 'string' ? this.decode(id, JSON.stringify(value)) : undefined;
      if (doc) this.storeHosts.set(doc.host, doc);
    }
    this.syncedAt = parsed.savedAt ? Date.parse(parsed.savedAt) || 0 : 0;
    this.markDirty();
    logger.warn(
      { file, hosts: this.storeHosts.size, savedAt: parsed.savedAt },
      'store unreachable: routing from the last snapshot',
    );
  }

  /** Waits for a pending local snapshot write (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.persistRunning) await this.persistRunning;
  }
}
