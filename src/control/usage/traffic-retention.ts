/** Keeps the traffic view's hourly counters bounded: hours older than the window are removed, now and every few minutes. */
import type { Logger } from '../../observability/logger.js';
import { utcHour } from '../../observability/usage-meter.js';
import type { Store } from '../../store/store.js';
import { everyInterval, type PeriodSweep, sweepPeriods } from './counter-retention.js';
import { trafficGroup } from './usage-keys.js';

const HOUR_MS = 3_600_000;

/** Hours looked at behind the window on the first round: a gateway switched off for three days still removes what it missed. */
const LOOKBACK_HOURS = 72;

/** Start (ms) of the oldest UTC hour inside a window of `keep` hours, the current one counted. */
export function windowStart(now: number, keep: number): number {
  return (Math.floor(now / HOUR_MS) - (keep - 1)) * HOUR_MS;
}

export interface TrafficRetentionOptions {
  store: Store;
  logger: Logger;
  keepHours: number;
  intervalMs: number;
}

export class TrafficRetention {
  readonly #options: TrafficRetentionOptions;
  readonly #sweep: PeriodSweep;
  #timer: NodeJS.Timeout | undefined;
  /** Every hour before this one was removed already: a round removes only what left the window since. */
  #clearedBefore: number | undefined;

  constructor(options: TrafficRetentionOptions) {
    this.#options = options;
    const { store, logger } = options;
    this.#sweep = { store, logger, name: 'traffic', unit: 'hour', groupOf: trafficGroup };
  }

  start(): void {
    this.#timer = everyInterval(() => this.prune(), this.#options.intervalMs);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  /** The `YYYY-MM-DDTHH` hours removed, oldest first. Idempotent: several instances may remove the same hours. */
  async prune(now = Date.now()): Promise<string[]> {
    const end = windowStart(now, this.#options.keepHours);
    const from = Math.max(this.#clearedBefore ?? Number.NEGATIVE_INFINITY, end - LOOKBACK_HOURS * HOUR_MS);
    const hours: string[] = [];
    for (let at = from; at < end; at += HOUR_MS) hours.push(utcHour(at));
    const { removed, done } = await sweepPeriods(this.#sweep, hours);
    if (done < hours.length) {
      // The store is down: the next round starts again from the hour that failed.
      this.#clearedBefore = from + done * HOUR_MS;
      return removed;
    }
    this.#clearedBefore = Math.max(this.#clearedBefore ?? end, end);
    if (removed.length > 0) this.#options.logger.debug({ hours: removed }, 'old traffic hours removed');
    return removed;
  }
}
