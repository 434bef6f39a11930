/** The (host, target, up) triples behind gerbang_target_up, read from a snapshot at scrape time. */
import type { Snapshot } from '../../data/routing/snapshot.js';

/** Connections per target for health probes: one probe at a time per (target, path), so a couple suffice. */
export const HEALTH_CHECK_CONNECTIONS = 2;

export function* targetHealthOf(snapshot: Snapshot): Iterable<[string, string, boolean]> {
  for (const hosts of [snapshot.exact, snapshot.wildcards]) {
    for (const host of hosts.values()) {
      const seen = new Set<string>();
      for (const route of host.routes) {
        for (const target of route.balancer.targets) {
          if (seen.has(target.origin)) continue;
          seen.add(target.origin);
          yield [host.name, target.origin, target.isUp()];
        }
      }
    }
  }
}
