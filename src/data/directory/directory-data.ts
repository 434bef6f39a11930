/** What the public service directory lists: every registered host of the snapshot, grouped by agency, with whether it is up. */
import { performance } from 'node:perf_hooks';
import type { CompiledHost, Snapshot } from '../snapshot.js';
import { isTargetUp } from './target-health.js';

export type ServiceStatus = 'up' | 'down' | 'maintenance';

export interface DirectoryService {
  host: string;
  url: string;
  name: string;
  description: string | undefined;
  owner: string | undefined;
  contact: string | undefined;
  category: string | undefined;
  status: ServiceStatus;
}

export interface DirectoryAgency {
  /** Agency id; `lainnya` for hosts without one. */
  id: string;
  name: string;
  services: DirectoryService[];
}

export interface DirectoryData {
  generatedAt: string;
  total: number;
  up: number;
  agencies: DirectoryAgency[];
}

export const NO_AGENCY = 'lainnya';

/** Up when at least one target of the host can take a request now. */
export function statusOf(host: CompiledHost, now: number): ServiceStatus {
  if (host.maintenance !== undefined) return 'maintenance';
  for (const route of host.routes)
    for (const target of route.balancer.targets) if (isTargetUp(target, now)) return 'up';
  return 'down';
}

export function collectDirectory(
  snapshot: Snapshot,
  agencyName: (id: string) => string | undefined,
  exclude: string,
): DirectoryData {
  const now = performance.now();
  const groups = new Map<string, DirectoryAgency>();
  let up = 0;
  let total = 0;
  // Wildcards have no one address to link to; the directory lists named services.
  for (const host of snapshot.exact.values()) {
    if (host.name === exclude) continue;
    const id = host.agency ?? NO_AGENCY;
    let group = groups.get(id);
    if (group === undefined) {
      group = {
        id,
        name: (host.agency && agencyName(host.agency)) || (host.agency ?? 'Layanan lainnya'),
        services: [],
      };
      groups.set(id, group);
    }
    const status = statusOf(host, now);
    if (status === 'up') up++;
    total++;
    const app = host.app;
    group.services.push({
      host: host.name,
      url: `//${host.name}/`,
      name: app?.name ?? host.name,
      description: app?.description,
      owner: app?.owner,
      contact: app?.contact,
      category: app?.category,
      status,
    });
  }
  const agencies = [...groups.values()].sort((a, b) =>
    a.id === NO_AGENCY ? 1 : b.id === NO_AGENCY ? -1 : a.name.localeCompare(b.name, 'id'),
  );
  for (const group of agencies) group.services.sort((a, b) => a.name.localeCompare(b.name, 'id'));
  return { generatedAt: new Date().toISOString(), total, up, agencies };
}
