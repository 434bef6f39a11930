/** The compression counters of one gateway, bound once per (host, encoding) so a response bumps numbers in place. */

import { DEFAULT_MAX_COMPRESSING_RESPONSES } from '../../config/defaults.js';
import type { CounterSlot } from '../../observability/bound-metrics.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { CacheEntry } from '../cache/cache-entry.js';
import type { Encoding } from './negotiate.js';
import type { SharedVariants } from './stored-variants.js';

export interface CompressionSlots {
  /** Bytes before and after compression of what was sent. */
  readonly input: CounterSlot;
  readonly output: CounterSlot;
  /** Compressor runs: a proxied body as it streams, a stored body made into a variant. */
  readonly stream: CounterSlot;
  readonly stored: CounterSlot;
}

/**
 * Also the one place a stored variant is reported from, so the memory tier re-counts the entry it grew
 * (the listeners wire it to the shared cache; the cache code does not depend on compression).
 */
export class CompressionMeter {
  readonly #metrics: GatewayMetrics;
  readonly #slots = new Map<string, CompressionSlots>();
  readonly #onVariant: ((entry: CacheEntry) => void) | undefined;
  /** The cache's shared tier for variants (Redis), when it has one: stored variants are looked up and put there. */
  readonly shared: SharedVariants | undefined;
  readonly #maxStreaming: number;
  #streaming = 0;

  constructor(
    metrics: GatewayMetrics,
    onVariantStored?: (entry: CacheEntry) => void,
    shared?: SharedVariants,
    maxStreaming = DEFAULT_MAX_COMPRESSING_RESPONSES,
  ) {
    this.#metrics = metrics;
    this.#onVariant = onVariantStored;
    this.shared = shared;
    this.#maxStreaming = maxStreaming;
  }

  /** A compressor for a response on its way (limits.maxCompressingResponses): false when all are taken. */
  takeStream(): boolean {
    if (this.#streaming >= this.#maxStreaming) return false;
    this.#streaming++;
    return true;
  }

  /** Its compressor is gone (the body ended, or the client or the backend left). */
  releaseStream(): void {
    this.#streaming--;
  }

  /** An encoded variant was kept beside a stored entry: its bytes now count against the cache's bound. */
  variantStored(entry: CacheEntry): void {
    this.#onVariant?.(entry);
  }

  slots(host: string, encoding: Encoding): CompressionSlots {
    const key = `${host}\u0000${encoding}`;
    let slots = this.#slots.get(key);
    if (slots === undefined) {
      const m = this.#metrics;
      slots = {
        input: m.compressionInputBytes.bind({ host, encoding }),
        output: m.compressionOutputBytes.bind({ host, encoding }),
        stream: m.compressionRuns.bind({ host, encoding, source: 'stream' }),
        stored: m.compressionRuns.bind({ host, encoding, source: 'stored' }),
      };
      this.#slots.set(key, slots);
    }
    return slots;
  }

  /** A response sent compressed: its body's size as written by the backend, and as sent. */
  sent(host: string, encoding: Encoding, input: number, output: number): void {
    const s = this.slots(host, encoding);
    s.input.inc(input);
    s.output.inc(output);
  }
}
