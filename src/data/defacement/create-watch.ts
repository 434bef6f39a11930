/** The data plane's defacement watch from the config, tied to the cache (checks what it stores, purges flagged pages). */
import { resolveDefacementConfig } from '../../config/defacement-config.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { SharedCache } from '../cache/shared-cache.js';
import type { SnapshotHolder } from '../routing/snapshot.js';
import { DefacementWatch } from './defacement-watch.js';
import type { DefacementFinding } from './finding.js';

export interface WatchInput {
  config: GatewayConfig;
  holder: SnapshotHolder;
  metrics: GatewayMetrics;
  logger: Logger;
  onDefacement?: (finding: DefacementFinding) => void;
}

/** Undefined when `defacement.enabled` is false. */
export function createDefacementWatch(
  input: WatchInput,
  cache: SharedCache | undefined,
): DefacementWatch | undefined {
  const config = input.config.defacement ?? resolveDefacementConfig(undefined);
  if (!config.enabled) return undefined;
  const watch = new DefacementWatch({
    config,
    metrics: input.metrics,
    logger: input.logger.child({ component: 'defacement' }),
    holder: input.holder,
    ...(input.onDefacement ? { onFinding: input.onDefacement } : {}),
    ...(cache ? { invalidate: (hostName: string, url: string) => cache.invalidate(hostName, [url]) } : {}),
  });
  if (cache) cache.defacement = watch;
  return watch;
}
