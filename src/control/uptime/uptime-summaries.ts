/**
 * Keeps every host's 90-day uptime summary for the public directory: recomputed from the store on a timer by the
 * control plane, so that no directory request ever reads the store.
 */
import { DEFAULT_UPTIME_SUMMARY_INTERVAL_MS } from '../../config/defaults.js';
import type { ServiceUptime, UptimeSummaries } from '../../model/service-uptime.js';
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import { decodeRecord } from './uptime-record.js';
import { summarizeUptime } from './uptime-summary.js';

export interface UptimeSummaryKeeperOptions {
  store: Store;
  logger: Logger;
  timeZone: string;
  intervalMs?: number;
  now?: () => number;
}

export class UptimeSummaryKeeper implements UptimeSummaries {
  generation = 0;
  #byHost = new Map<string, ServiceUptime>();
  /** The last computed summaries as JSON: only a real change moves the generation (and re-renders the directory). */
  #text = '';
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  readonly #listeners: Array<() => void> = [];

  constructor(private readonly options: UptimeSummaryKeeperOptions) {}

  start(): void {
    this.#timer = setInterval(
      () => void this.refresh(),
      this.options.intervalMs ?? DEFAULT_UPTIME_SUMMARY_INTERVAL_MS,
    );
    this.#timer.unref();
    void this.refresh();
  }

  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    return this.#running ?? Promise.resolve();
  }

  of(host: string): ServiceUptime | undefined {
    return this.#byHost.get(host);
  }

  /** Every summary by host name, for the cluster workers. */
  all(): Record<string, ServiceUptime> {
    return Object.fromEntries(this.#byHost);
  }

  /** Told after every change (cluster primary: hands the summaries to its workers). */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  /** Recomputes now (one at a time); a store that does not answer keeps the last summaries. */
  refresh(): Promise<void> {
    this.#running ??= this.#compute().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #compute(): Promise<void> {
    let all: Map<string, string>;
    try {
      all = await this.options.store.getAll('uptime');
    } catch (err) {
      this.options.logger.warn(
        { err: (err as Error).message },
        'uptime summaries: store unread; kept as they were',
      );
      return;
    }
    const now = (this.options.now ?? Date.now)();
    const next = new Map<string, ServiceUptime>();
    for (const [host, raw] of all) {
      const record = decodeRecord(raw);
      if (record !== undefined) next.set(host, summarizeUptime(record, now, this.options.timeZone));
    }
    const text = JSON.stringify([...next]);
    if (text === this.#text) return;
    this.#text = text;
    this.#byHost = next;
    this.generation++;
    for (const listener of this.#listeners) listener();
  }
}
