/** Every few seconds, off the request path: the meter's deltas handed to a sink (the store, or a worker's primary), given back when refused. */

import { DEFAULT_TRAFFIC_HOURS } from '../../config/defaults.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { TRAFFIC_FIELDS } from '../../observability/usage-fields.js';
import type { UsageDelta, UsageMeter } from '../../observability/usage-meter.js';
import type { Store } from '../../store/store.js';
import { windowStart } from './traffic-retention.js';
import { trafficGroup, trafficRecord, usageGroup, usageRecord } from './usage-keys.js';

/** Takes deltas; resolves with those it could not take (kept for the next flush). */
export type UsageSink = (deltas: readonly UsageDelta[]) => Promise<readonly UsageDelta[]>;

/** The traffic view's few counters of a delta; undefined when none of them moved. */
function trafficCounts(counts: Record<string, number>): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  for (const field of TRAFFIC_FIELDS) {
    const n = counts[field];
    if (n === undefined || n === 0) continue;
    out ??= {};
    out[field] = n;
  }
  return out;
}

/**
 * Adds each delta to its month's counter group (one record per day, agency and host) and to its hour's (one per
 * agency and host). A delta half taken comes back marked with the record it still owes: never added twice.
 */
export function storeSink(store: Store): UsageSink {
  const write = async (d: UsageDelta): Promise<UsageDelta | undefined> => {
    // An hour given back for longer than the window (a store down for days) is past the traffic view's use.
    const hourly =
      d.only === 'day' || Date.parse(`${d.hour}:00:00Z`) < windowStart(Date.now(), DEFAULT_TRAFFIC_HOURS)
        ? undefined
        : trafficCounts(d.counts);
    const [day, hour] = await Promise.allSettled([
      d.only === 'hour'
        ? undefined
        : store.addCounters(usageGroup(d.day.slice(0, 7)), usageRecord(d.day, d.agency, d.host), d.counts),
      hourly === undefined
        ? undefined
        : store.addCounters(trafficGroup(d.hour), trafficRecord(d.agency, d.host), hourly),
    ]);
    const dayOwed = day.status === 'rejected';
    const hourOwed = hour.status === 'rejected';
    if (dayOwed && hourOwed) return d;
    if (dayOwed) return { ...d, only: 'day' };
    if (hourOwed) return { ...d, only: 'hour' };
    return undefined;
  };
  return async (deltas) => {
    const owed = await Promise.all(deltas.map(write));
    return owed.filter((d): d is UsageDelta => d !== undefined);
  };
}

export interface UsageFlusherOptions {
  sink: UsageSink;
  /** Where this process counts; in cluster mode the workers' deltas are given into it too. */
  meter: UsageMeter;
  metrics: GatewayMetrics;
  logger: Logger;
  intervalMs: number;
}

/** Label key of a compression series: host and encoding. */
function seriesKey(labels: Record<string, string | number>): string {
  return `${labels.host}\u0000${labels.encoding}`;
}

export class UsageFlusher {
  readonly #options: UsageFlusherOptions;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  /** The compression counters' values at the previous flush: their growth is the saving since. */
  readonly #seen = new Map<string, { input: number; output: number }>();

  constructor(options: UsageFlusherOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'usage' });
  }

  start(): void {
    this.#timer = setInterval(() => {
      void this.flush();
    }, this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and writes what is left (a stop loses at most what the store refuses). */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  /** One flush at a time; a call while one runs waits for it rather than starting a second. */
  flush(): Promise<void> {
    this.#running ??= this.#flush().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #flush(): Promise<void> {
    const { meter, sink } = this.#options;
    await this.#readCompression();
    const deltas = meter.take();
    if (deltas.length === 0) return;
    let refused: readonly UsageDelta[];
    let reason: string | undefined;
    try {
      // Only what was refused goes back: what the sink took is counted already.
      refused = await sink(deltas);
    } catch (err) {
      refused = deltas;
      reason = (err as Error).message;
    }
    if (refused.length > 0) {
      meter.giveBack(refused);
      this.#logger.warn(
        { records: refused.length, err: reason },
        'usage counters not written; kept for the next flush',
      );
    }
  }

  /** Compression's own counters (gerbang_compression_*_bytes_total) are read, not hooked: their growth per host. */
  async #readCompression(): Promise<void> {
    const { metrics, meter } = this.#options;
    const [input, output] = await Promise.all([
      metrics.compressionInputBytes.get(),
      metrics.compressionOutputBytes.get(),
    ]);
    const outputs = new Map<string, number>();
    for (const v of output.values) outputs.set(seriesKey(v.labels), v.value);
    for (const v of input.values) {
      const key = seriesKey(v.labels);
      const out = outputs.get(key) ?? 0;
      const before = this.#seen.get(key) ?? { input: 0, output: 0 };
      const saved = v.value - before.input - (out - before.output);
      this.#seen.set(key, { input: v.value, output: out });
      if (saved > 0) meter.compressionSaved(String(v.labels.host), saved);
    }
  }
}
