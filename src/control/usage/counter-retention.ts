/** The loop both counter retentions run: a round now and every interval, removing old periods oldest first until the store fails. */
import type { Logger } from '../../observability/logger.js';
import type { Store } from '../../store/store.js';

/** What one retention removes: the counter group of a period (an hour, a month), named so in its log lines. */
export interface PeriodSweep {
  store: Store;
  logger: Logger;
  name: 'traffic' | 'usage';
  unit: 'hour' | 'month';
  groupOf: (period: string) => string;
}

/**
 * Removes the counters of each period in turn. At a store failure it stops, since the next ones would fail too:
 * `done` is how many periods it went through (all of them unless the store failed at `periods[done]`).
 */
export async function sweepPeriods(
  sweep: PeriodSweep,
  periods: readonly string[],
): Promise<{ removed: string[]; done: number }> {
  const removed: string[] = [];
  for (const [index, period] of periods.entries()) {
    try {
      if (await sweep.store.deleteCounters(sweep.groupOf(period))) removed.push(period);
    } catch (err) {
      sweep.logger.debug(
        { err: (err as Error).message, [sweep.unit]: period },
        `${sweep.name} retention deferred`,
      );
      return { removed, done: index };
    }
  }
  return { removed, done: periods.length };
}

/** Runs `round` now and every `intervalMs`; the timer does not keep the process alive. */
export function everyInterval(round: () => Promise<unknown>, intervalMs: number): NodeJS.Timeout {
  void round();
  const timer = setInterval(() => void round(), intervalMs);
  timer.unref();
  return timer;
}
