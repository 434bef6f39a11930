/**
 * Hot-path metrics: a counter and a histogram whose label sets are bound once into plain slots, so a request
 * bumps numbers in place (prom-client's own children re-hash their labels on every call). They read out in
 * prom-client's format, so the registry, /metrics and the cluster AggregatorRegistry treat them like its own.
 */
import type { Metric, Registry } from 'prom-client';

type Labels<L extends string> = Record<L, string>;

interface MetricValue {
  value: number;
  labels: Record<string, string>;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  values: MetricValue[];
}

export interface BoundMetricOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registers: Registry[];
}

function keyOf<L extends string>(labelNames: readonly L[], labels: Labels<L>): string {
  let key = '';
  for (const name of labelNames) key += `${labels[name]}\u0000`;
  return key;
}

function register(metric: unknown, registries: Registry[]): void {
  for (const registry of registries) registry.registerMetric(metric as Metric);
}

export class CounterSlot {
  value = 0;
  constructor(readonly labels: Record<string, string>) {}
  inc(amount = 1): void {
    this.value += amount;
  }
}

export class BoundCounter<L extends string> {
  readonly type = 'counter' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  private readonly labelNames: readonly L[];
  private readonly slots = new Map<string, CounterSlot>();

  constructor(options: BoundMetricOptions<L>) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    register(this, options.registers);
  }

  /** The slot of these label values (the same object every time): hold it and call inc(). */
  bind(labels: Labels<L>): CounterSlot {
    const key = keyOf(this.labelNames, labels);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = new CounterSlot({ ...labels });
      this.slots.set(key, slot);
    }
    return slot;
  }

  async get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = [];
    for (const slot of this.slots.values()) values.push({ value: slot.value, labels: slot.labels });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const slot of this.slots.values()) slot.value = 0;
  }
}

export class HistogramSlot {
  /** Per bucket (not cumulative); the last one is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += value;
    this.count++;
  }
}

export class BoundHistogram<L extends string> {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  readonly buckets: readonly number[];
  private readonly labelNames: readonly L[];
  private readonly slots = new Map<string, HistogramSlot>();

  constructor(options: BoundMetricOptions<L> & { buckets: readonly number[] }) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    this.buckets = [...options.buckets].sort((a, b) => a - b);
    register(this, options.registers);
  }

  bind(labels: Labels<L>): HistogramSlot {
    const key = keyOf(this.labelNames, labels);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = new HistogramSlot({ ...labels }, this.buckets);
      this.slots.set(key, slot);
    }
    return slot;
  }

  async get(): Promise<MetricSnapshot> {
    const values: MetricValue[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const slot of this.slots.values()) {
      let cumulative = 0;
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += slot.counts[i] as number;
        const le = i < this.buckets.length ? String(this.buckets[i]) : '+Inf';
        values.push({ value: cumulative, labels: { le, ...slot.labels }, metricName: bucketName });
      }
      values.push({ value: slot.sum, labels: slot.labels, metricName: `${this.name}_sum` });
      values.push({ value: slot.count, labels: slot.labels, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    for (const slot of this.slots.values()) {
      slot.counts.fill(0);
      slot.sum = 0;
      slot.count = 0;
    }
  }
}
