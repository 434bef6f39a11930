/** Keeps the usage counters bounded: months older than the retention are removed, now and every few hours. */
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';
import { everyInterval, type PeriodSweep, sweepPeriods } from './counter-retention.js';
import { usageGroup } from './usage-keys.js';

/** Months looked at behind the window: a gateway switched off for up to a year still removes what it missed. */
const LOOKBACK_MONTHS = 12;

/** The `YYYY-MM` months just older than the `keep` newest (this month counted), oldest first. */
export function expiredMonths(now: Date, keep: number): string[] {
  const months: string[] = [];
  const base = now.getUTCFullYear() * 12 + now.getUTCMonth();
  for (let back = keep + LOOKBACK_MONTHS - 1; back >= keep; back--) {
    const m = base - back;
    months.push(`${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

export interface UsageRetentionOptions {
  store: Store;
  logger: Logger;
  keepMonths: number;
  intervalMs: number;
}

export class UsageRetention {
  readonly #options: UsageRetentionOptions;
  readonly #sweep: PeriodSweep;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: UsageRetentionOptions) {
    this.#options = options;
    const { store, logger } = options;
    this.#sweep = { store, logger, name: 'usage', unit: 'month', groupOf: usageGroup };
  }

  start(): void {
    this.#timer = everyInterval(() => this.prune(), this.#options.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** Idempotent: several instances may prune the same months. */
  async prune(now = new Date()): Promise<string[]> {
    const months = expiredMonths(now, this.#options.keepMonths);
    const { removed, done } = await sweepPeriods(this.#sweep, months);
    // The store is down: the next round tries again.
    if (done < months.length) return removed;
    if (removed.length > 0) this.#options.logger.info({ months: removed }, 'old usage months removed');
    return removed;
  }
}
