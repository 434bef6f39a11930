/** Every few seconds, off the request path: the meter's deltas handed to a sink (the store, or a worker's primary), given back when refused. */
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { UsageDelta, UsageMeter } from '../../observability/usage-meter.js';
import type { Store } from '../../store/store.js';
import { usageGroup, usageRecord } from './usage-keys.js';

/** Takes deltas; resolves with those it could not take (kept for the next flush). */
export type UsageSink = (deltas: readonly UsageDelta[]) => Promise<readonly UsageDelta[]>;

/** Adds each delta to its month's counter group: one record per day, agency and host. */
export function storeSink(store: Store): UsageSink {
  return async (deltas) => {
    const results = await Promise.allSettled(
      deltas.map((d) =>
        store.addCounters(usageGroup(d.day.slice(0, 7)), usageRecord(d.day, d.agency, d.host), d.counts),
      ),
    );
    return deltas.filter((_d, i) => results[i]?.status === 'rejected');
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
