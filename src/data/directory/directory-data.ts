/** What the public service directory lists: every named host of the snapshot in display order (by agency, then name), with whether it is up. */
import type { MovingService } from '../../model/inventory-schema.js';
import type { ServiceUptime, UptimeSummaries } from '../../model/service-uptime.js';
import type { CompiledHost, Snapshot } from '../routing/snapshot.js';

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
  /** What an admin should fill in (`app.name`, `app.contact`, `agency`); empty when nothing is missing. */
  missing: string[];
  /** The last 90 days (from the control plane's summaries); absent while nothing was recorded. */
  uptime?: ServiceUptime;
}

export interface DirectoryAgency {
  /** Agency id; `lainnya` for hosts without one. */
  id: string;
  name: string;
  services: DirectoryService[];
}

/** One service as the index keeps it: its agency beside it, and the lower-cased text a search looks in. */
export interface IndexedService {
  readonly agency: string;
  readonly agencyName: string;
  readonly compiled: CompiledHost;
  readonly haystack: string;
  readonly service: DirectoryService;
}

/** The inventory's services not behind Gerbang yet; `generation` grows with every change of them. */
export interface MovingServices {
  readonly generation: number;
  moving(): MovingService[];
}

/** A service still being moved, with its agency's display name and the text a search looks in. */
export interface IndexedMoving {
  readonly agencyName: string;
  readonly haystack: string;
  readonly service: MovingService;
}

/** Every service of one snapshot, sorted once; statuses refreshed on health changes without re-sorting. */
export interface DirectoryIndex {
  readonly snapshotVersion: number;
  readonly services: readonly IndexedService[];
  /** Agency ids in display order, with their names. */
  readonly agencies: ReadonlyMap<string, string>;
  total: number;
  up: number;
  /** Services with something in `missing`: the count an admin works down. */
  readonly incomplete: number;
  /** Reported or migrating services (their old address), listed in a section of their own. */
  readonly moving: readonly IndexedMoving[];
  generatedAt: string;
}

export const NO_AGENCY = 'lainnya';

/** Up when at least one target of the host is answering (TargetState.isUp), not merely allowed a probe. */
export function statusOf(host: CompiledHost): ServiceStatus {
  if (host.maintenance !== undefined) return 'maintenance';
  for (const route of host.routes)
    for (const target of route.balancer.targets) if (target.isUp()) return 'up';
  return 'down';
}

const collator = new Intl.Collator('id');

/** `simpus-dinkes` → `Simpus Dinkes`: how a citizen reads an id or a host's first label. */
function titleCase(label: string): string {
  return label
    .split(/[-_]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** A readable name for a host without app information: its first label (`ppdb.disdik...` → `Ppdb`). */
export function nameFromHost(host: string): string {
  return titleCase(host.split('.')[0] ?? host) || host;
}

/** The registry's name of an agency; one never created shows its id made readable, not the bare id. */
export function agencyDisplayName(id: string, agencyName: (id: string) => string | undefined): string {
  if (id === NO_AGENCY) return 'Layanan lainnya';
  return agencyName(id) || titleCase(id) || id;
}

export function buildDirectoryIndex(
  snapshot: Snapshot,
  agencyName: (id: string) => string | undefined,
  exclude: string,
  moving: readonly MovingService[] = [],
): DirectoryIndex {
  const names = new Map<string, string>();
  const services: IndexedService[] = [];
  // Wildcards have no one address to link to; the directory lists named services.
  for (const host of snapshot.exact.values()) {
    if (host.name === exclude) continue;
    const id = host.agency ?? NO_AGENCY;
    let name = names.get(id);
    if (name === undefined) {
      name = agencyDisplayName(id, agencyName);
      names.set(id, name);
    }
    const app = host.app;
    const missing: string[] = [];
    if (!app?.name) missing.push('app.name');
    if (!app?.contact) missing.push('app.contact');
    if (host.agency === undefined || !agencyName(host.agency)) missing.push('agency');
    const service: DirectoryService = {
      host: host.name,
      url: `//${host.name}/`,
      name: app?.name || nameFromHost(host.name),
      description: app?.description,
      owner: app?.owner,
      contact: app?.contact,
      category: app?.category,
      status: 'down',
      missing,
    };
    const haystack = [service.name, host.name, name, service.description, service.category, service.owner]
      .filter(Boolean)
      .join('\n')
      .toLowerCase();
    services.push({ agency: id, agencyName: name, compiled: host, haystack, service });
  }
  const last = (id: string) => (id === NO_AGENCY ? 1 : 0);
  services.sort(
    (a, b) =>
      last(a.agency) - last(b.agency) ||
      collator.compare(a.agencyName, b.agencyName) ||
      (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : 0) ||
      collator.compare(a.service.name, b.service.name),
  );
  const agencies = new Map<string, string>();
  for (const s of services) if (!agencies.has(s.agency)) agencies.set(s.agency, s.agencyName);
  const index: DirectoryIndex = {
    snapshotVersion: snapshot.version,
    services,
    agencies,
    total: services.length,
    up: 0,
    incomplete: services.filter((s) => s.service.missing.length > 0).length,
    moving: moving
      .map((m) => {
        const shown = m.agencyName ?? agencyDisplayName(m.agency, agencyName);
        const haystack = [m.name, shown, m.description, m.category, m.url]
          .filter(Boolean)
          .join('\n')
          .toLowerCase();
        return { agencyName: shown, haystack, service: m };
      })
      .sort(
        (a, b) =>
          collator.compare(a.agencyName, b.agencyName) || collator.compare(a.service.name, b.service.name),
      ),
    generatedAt: '',
  };
  refreshStatuses(index);
  return index;
}

/** Reads every service's status again (one pass, no sorting): called once per health change, not per request. */
export function refreshStatuses(index: DirectoryIndex): void {
  let up = 0;
  for (const s of index.services) {
    const status = statusOf(s.compiled);
    s.service.status = status;
    if (status === 'up') up++;
  }
  index.up = up;
  index.generatedAt = new Date().toISOString();
}

/** Attaches every service's 90-day summary (one pass): called when the summaries change, not per request. */
export function refreshUptime(index: DirectoryIndex, summaries: UptimeSummaries | undefined): void {
  for (const s of index.services) {
    const found = summaries?.of(s.service.host);
    if (found !== undefined) s.service.uptime = found;
    else delete s.service.uptime;
  }
}
