/** Mirrors the store's `certs` namespace on every instance and rebuilds the SNI table on each change, so all serve a new certificate within moments. */
import type { SecureContext } from 'node:tls';
import { CertTable, type CertTableHolder } from '../../data/tls/cert-table.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { Change, Store } from '../../store/store.js';
import { type CertRecord, decodeCert } from './cert-record.js';

export interface CertMirrorOptions {
  store: Store;
  holder: CertTableHolder;
  fallback: SecureContext;
  logger: Logger;
  metrics: GatewayMetrics;
}

export class CertMirror {
  private readonly records = new Map<string, CertRecord>();
  private rebuildScheduled = false;
  private readonly listeners: Array<(host: string) => void> = [];
  private readonly onChangeBound = (change: Change): void => void this.onChange(change);
  private readonly onResyncBound = (): void => void this.resync();

  constructor(private readonly options: CertMirrorOptions) {}

  async start(): Promise<void> {
    const { store } = this.options;
    store.on('change', this.onChangeBound);
    store.on('resync', this.onResyncBound);
    if (store.state === 'connected') await this.resync();
  }

  stop(): void {
    this.options.store.off('change', this.onChangeBound);
    this.options.store.off('resync', this.onResyncBound);
  }

  get(host: string): CertRecord | undefined {
    return this.records.get(host);
  }

  list(): CertRecord[] {
    return [...this.records.values()].sort((a, b) => (a.host < b.host ? -1 : 1));
  }

  /** Called with the host whenever its certificate changed (here or on another instance). */
  onUpdate(listener: (host: string) => void): void {
    this.listeners.push(listener);
  }

  /** A write this instance just made: serve it now rather than when the feed echoes it. */
  applyLocal(record: CertRecord): void {
    this.records.set(record.host, record);
    this.rebuild();
    for (const listener of this.listeners) listener(record.host);
  }

  private async onChange(change: Change): Promise<void> {
    if (change.ns !== 'certs') return;
    let raw: string | undefined;
    try {
      raw = await this.options.store.get('certs', change.id);
    } catch (err) {
      this.options.logger.warn(
        { host: change.id, err: (err as Error).message },
        'could not read a changed certificate; the next resync will',
      );
      return;
    }
    if (raw === undefined) this.records.delete(change.id);
    else {
      const record = this.decode(change.id, raw);
      if (record) this.records.set(change.id, record);
    }
    this.scheduleRebuild();
    for (const listener of this.listeners) listener(change.id);
  }

  private async resync(): Promise<void> {
    let all: Map<string, string>;
    try {
      all = await this.options.store.getAll('certs');
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'certificate resync failed; keeping the current ones',
      );
      return;
    }
    const next = new Map<string, CertRecord>();
    for (const [id, raw] of all) {
      const record = this.decode(id, raw) ?? this.records.get(id);
      if (record) next.set(id, record);
    }
    this.records.clear();
    for (const [id, record] of next) this.records.set(id, record);
    this.rebuild();
  }

  private decode(id: string, raw: string): CertRecord | undefined {
    try {
      return decodeCert(id, raw);
    } catch (err) {
      this.options.logger.error(
        { ns: 'certs', key: id, err: (err as Error).message },
        'corrupt certificate skipped',
      );
      this.options.metrics.storeValueErrors.inc({ ns: 'certs' });
      return undefined;
    }
  }

  private scheduleRebuild(): void {
    if (this.rebuildScheduled) return;
    this.rebuildScheduled = true;
    setImmediate(() => {
      this.rebuildScheduled = false;
      this.rebuild();
    });
  }

  private rebuild(): void {
    const { holder, fallback, logger, metrics } = this.options;
    holder.swap(
      CertTable.build(this.records.values(), fallback, (host, err) =>
        // The message of a failed key load never contains the key itself.
        logger.error({ host, err: err.message }, 'certificate skipped: it does not load'),
      ),
    );
    metrics.tlsCertificateNotAfter.reset();
    for (const record of this.records.values()) {
      metrics.tlsCertificateNotAfter.set(
        { host: record.host, source: record.source },
        Date.parse(record.notAfter) / 1000,
      );
    }
  }
}
