/** The running totals of upstream errors per host (gerbang_upstream_errors_total): what real traffic met, read once a minute. */
import type { GatewayMetrics } from '../../observability/metrics.js';

export async function upstreamErrorTotals(metrics: GatewayMetrics): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  for (const v of (await metrics.upstreamErrors.get()).values) {
    const host = String(v.labels.host ?? '');
    totals.set(host, (totals.get(host) ?? 0) + v.value);
  }
  return totals;
}
