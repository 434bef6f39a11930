/** Wires the control plane's services into the admin API's options: who may see and do what, on which service. */
import type { GatewayConfig } from '../config/schema.js';
import type { SharedCache } from '../data/cache/shared-cache.js';
import { findHost } from '../data/routing/router.js';
import type { SnapshotHolder } from '../data/routing/snapshot.js';
import type { GatewayRoleOptions } from '../gateway.js';
import type { TargetPolicy } from '../model/target-policy.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import type { AdminAppOptions } from './admin-app.js';
import type { AgencyService } from './agency-service.js';
import type { AuditLog } from './audit-log.js';
import { Authenticator } from './auth.js';
import { AuthRateLimit } from './auth-rate-limit.js';
import { assertHostAccess, canSeeHost } from './authorization.js';
import type { CachePurgeOptions } from './cache-purge.js';
import type { CertificateAccess } from './certificates/access.js';
import type { Certificates } from './certificates/certificates.js';
import type { DefacementFindings } from './defacement/defacement-findings.js';
import type { HealthChecker } from './health/health-checker.js';
import type { HostService } from './host-service.js';
import type { InstanceListing } from './instance-routes.js';
import type { InventoryService } from './inventory/inventory-service.js';
import { buildKonsol } from './konsol/build-konsol.js';
import type { RefusalAudit } from './refusal-audit.js';
import type { Registry } from './registry.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';
import { StoreRecovery } from './store-recovery.js';
import type { TokenService } from './token-service.js';
import { trafficReader } from './usage/traffic-routes.js';
import type { Accounts } from './users/accounts.js';

export interface ControlPlaneParts {
  config: GatewayConfig;
  logger: Logger;
  metrics: GatewayMetrics;
  role: GatewayRoleOptions;
  adminToken: string;
  store: Store;
  policy: TargetPolicy;
  registry: Registry;
  publisher: SnapshotPublisher;
  holder: SnapshotHolder;
  checker: HealthChecker;
  certificates: Certificates;
  /** The shared cache of this process's data plane; undefined when it is off (no purge endpoint then). */
  cache: SharedCache | undefined;
  audit: AuditLog;
  refusals: RefusalAudit;
  /** Every live instance sharing the store (GET /v1/instances, Konsol's system page). */
  instances?: InstanceListing;
  services: {
    hosts: HostService;
    agencies: AgencyService;
    tokens: TokenService;
    inventory?: InventoryService;
    /** Konsol's accounts and sessions. */
    accounts: Accounts;
  };
  shuttingDown: () => boolean;
  /** Each host's latest defacement findings (GET /v1/defacement, Konsol's host page); absent = not served. */
  defacement?: DefacementFindings;
}

export function adminAppOptions(parts: ControlPlaneParts): AdminAppOptions {
  const { config, logger, metrics, role, store, policy, registry, publisher, holder, checker, cache, audit } =
    parts;
  const { hosts, agencies, tokens } = parts.services;
  const certificates = parts.certificates;
  // Every host-scoped call asks the same guard: an agency touches only what it owns.
  const assertHost = (principal: Parameters<typeof assertHostAccess>[0], host: string) =>
    assertHostAccess(principal, host, publisher, registry);
  const status = { snapshot: () => holder.current, checks: (origin: string) => checker.statusOf(origin) };
  // One guard for the certificate API and Konsol's certificate page.
  const certificateAccess: CertificateAccess = {
    assertHost,
    canSee: (principal, host) => {
      const found = publisher.lookup(host);
      return found !== undefined ? canSeeHost(principal, found.doc) : principal.scope === 'admin';
    },
  };
  const storeRecovery = new StoreRecovery({ store, publisher, stateDir: config.stateDir, logger, audit });
  // One purge for the API and Konsol: the same checks, the same audit entry.
  const cachePurge: CachePurgeOptions | undefined =
    cache === undefined
      ? undefined
      : {
          purger: role.onPurge
            ? {
                purge: (host: string, prefix: string) => {
                  role.onPurge?.(host, prefix);
                  return cache.purge(host, prefix);
                },
              }
            : cache,
          zones: config.zones,
          authorize: assertHost,
          served: (host: string) => findHost(holder.current, host) !== undefined,
          audit: { log: audit, ownerOf: (host: string) => publisher.lookup(host)?.doc.agency },
        };
  const konsol = buildKonsol({
    store,
    audit,
    accounts: parts.services.accounts,
    hosts,
    agencyExists: (id) => registry.agency(id) !== undefined,
    status,
    ...(cachePurge ? { purge: cachePurge } : {}),
    certificates: certificates.service,
    certificateAdmin: { service: certificates.service, access: certificateAccess },
    system: { store: storeRecovery, ...(parts.instances ? { instances: parts.instances } : {}) },
    admin: { agencies, tokens },
    ...(parts.services.inventory
      ? { inventoryPages: { inventory: parts.services.inventory, policy, zones: config.zones } }
      : {}),
    traffic: trafficReader(store, hosts),
    // The host page shows only hosts the user may see (hosts.get checks first): the same reading as /v1/defacement.
    ...(parts.defacement ? { defacement: parts.defacement } : {}),
  });
  return {
    logger,
    metrics,
    auth: new Authenticator(parts.adminToken, registry),
    hosts,
    publisher,
    certificates: certificates.service,
    certificateAccess,
    registry: { agencies, tokens, audit },
    ...(parts.services.inventory
      ? { inventory: { inventory: parts.services.inventory, policy, zones: config.zones } }
      : {}),
    transfer: {
      hosts,
      agencies,
      registry,
      lookup: (host) => publisher.lookup(host),
      certificates: { service: certificates.service, records: () => certificates.mirror.list() },
      policy,
      zones: config.zones,
      audit,
      inventory: parts.services.inventory,
      users: konsol.users,
    },
    usage: store,
    storeRecovery,
    ...(parts.instances ? { instances: parts.instances } : {}),
    konsol,
    authRateLimit: new AuthRateLimit(),
    refusals: parts.refusals,
    status: { ...status, zones: config.zones, authorize: assertHost },
    uptime: { store, zones: config.zones },
    ...(parts.defacement
      ? {
          defacement: {
            findings: parts.defacement,
            zones: config.zones,
            authorize: assertHost,
            agencyOfHost: (host: string) => publisher.lookup(host)?.doc.agency,
          },
        }
      : {}),
    ...(role.metricsText ? { metricsText: role.metricsText } : {}),
    ...(role.dataPlaneReady ? { dataPlaneReady: role.dataPlaneReady } : {}),
    shuttingDown: parts.shuttingDown,
    ...(cachePurge ? { cachePurge } : {}),
  };
}
