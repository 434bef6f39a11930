/** Per-host bound metric slots, found once per compiled host so a request bumps numbers without hashing labels. */

import type { CompiledHost } from '../data/routing/snapshot.js';
import type { CounterSlot, HistogramSlot } from './bound-metrics.js';
import { type GatewayMetrics, NO_AGENCY, UNKNOWN_HOST } from './metrics.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'OTHER'] as const;
const METHOD_INDEX = new Map<string, number>(METHODS.map((m, i) => [m, i]));
const OTHER_METHOD = METHODS.length - 1;
/** Index 0 is a status outside 100..599; 1..5 are the classes. */
const CODES = ['other', '1xx', '2xx', '3xx', '4xx', '5xx'] as const;

function codeIndex(status: number): number {
  return status >= 100 && status < 600 ? (status / 100) | 0 : 0;
}

/** The series of one host label: request slots are bound lazily, so a host only ever seen with GET 2xx holds one. */
export class HostSeries {
  readonly duration: HistogramSlot;
  readonly upstreamDuration: HistogramSlot;
  readonly requestBytes: CounterSlot;
  readonly responseBytes: CounterSlot;
  private readonly requestSlots: Array<CounterSlot | undefined> = new Array(METHODS.length * CODES.length);

  constructor(
    private readonly metrics: GatewayMetrics,
    readonly host: string,
    readonly agency: string,
  ) {
    this.duration = metrics.requestDuration.bind({ host });
    this.upstreamDuration = metrics.upstreamDuration.bind({ host });
    this.requestBytes = metrics.requestBytes.bind({ agency });
    this.responseBytes = metrics.responseBytes.bind({ agency });
  }

  /** The gerbang_requests_total slot for this method and status. */
  requests(method: string, status: number): CounterSlot {
    const m = METHOD_INDEX.get(method) ?? OTHER_METHOD;
    const c = codeIndex(status);
    const slot = m * CODES.length + c;
    let child = this.requestSlots[slot];
    if (child === undefined) {
      child = this.metrics.requests.bind({
        host: this.host,
        agency: this.agency,
        method: METHODS[m] as string,
        code: CODES[c] as string,
      });
      this.requestSlots[slot] = child;
    }
    return child;
  }
}

/**
 * Finds the HostSeries of a compiled host. Keyed by the CompiledHost object (a WeakMap, so a replaced snapshot's
 * hosts are forgotten with it); the slots themselves live in the metrics and are shared across snapshots.
 */
export class HostSeriesCache {
  private readonly byHost = new WeakMap<CompiledHost, HostSeries>();
  readonly unknown: HostSeries;

  constructor(private readonly metrics: GatewayMetrics) {
    this.unknown = new HostSeries(metrics, UNKNOWN_HOST, NO_AGENCY);
  }

  of(host: CompiledHost | undefined): HostSeries {
    if (host === undefined) return this.unknown;
    let series = this.byHost.get(host);
    if (series === undefined) {
      series = new HostSeries(this.metrics, host.name, host.agency ?? NO_AGENCY);
      this.byHost.set(host, series);
    }
    return series;
  }
}
