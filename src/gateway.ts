/** Builds and runs one Gerbang instance from a resolved config: store, control plane, data plane; and stops it cleanly. */

import { setTimeout as sleep } from 'node:timers/promises';
import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { resolveAuditConfig } from './config/audit-config.js';
import {
  DEFAULT_TIME_ZONE,
  DEFAULT_TRAFFIC_HOURS,
  DEFAULT_TRAFFIC_PRUNE_INTERVAL_MS,
  DEFAULT_USAGE_FLUSH_INTERVAL_MS,
  DEFAULT_USAGE_PRUNE_INTERVAL_MS,
  DEFAULT_USAGE_RETENTION_MONTHS,
} from './config/defaults.js';
import { readConfigFile } from './config/load-config.js';
import type { GatewayConfig } from './config/schema.js';
import { buildAdminApp } from './control/admin-app.js';
import { adminAppOptions } from './control/admin-wiring.js';
import { AgencyService } from './control/agency-service.js';
import { AuditLog } from './control/audit-log.js';
import { resolveBootstrapToken } from './control/bootstrap-token.js';
import { type Certificates, startCertificates } from './control/certificates/certificates.js';
import { checkedConfigHosts } from './control/config-hosts.js';
import { DefacementFindings } from './control/defacement/defacement-findings.js';
import { HealthChecker } from './control/health/health-checker.js';
import { HEALTH_CHECK_CONNECTIONS, targetHealthOf } from './control/health/target-health-series.js';
import { HostService } from './control/host-service.js';
import { InstanceListeners } from './control/instance-listeners.js';
import { InventoryService } from './control/inventory/inventory-service.js';
import { RefusalAudit } from './control/refusal-audit.js';
import { Registry } from './control/registry.js';
import { SnapshotPublisher } from './control/snapshot-publisher.js';
import { storeInfrastructure } from './control/store-infrastructure.js';
import { TicketKeyKeeper } from './control/ticket-keys.js';
import { TokenService } from './control/token-service.js';
import { upstreamErrorTotals } from './control/uptime/traffic-errors.js';
import { UptimeRecorder } from './control/uptime/uptime-recorder.js';
import { UptimeSummaryKeeper } from './control/uptime/uptime-summaries.js';
import { TrafficRetention } from './control/usage/traffic-retention.js';
import { storeSink, UsageFlusher } from './control/usage/usage-flusher.js';
import { UsageRetention } from './control/usage/usage-retention.js';
import { buildAccounts } from './control/users/accounts.js';
import { reportTrips } from './data/health/report-trips.js';
import { listenOn } from './data/listeners/listen-on.js';
import { buildPublicListeners, drainListeners } from './data/listeners/public-listeners.js';
import { TargetStates } from './data/proxy/balancer.js';
import { clientPoolOptions, UpstreamPools } from './data/proxy/upstream-pools.js';
import { SnapshotHolder } from './data/routing/snapshot.js';
import { TicketKeyRing } from './data/tls/ticket-key-ring.js';
import type { HostDoc } from './model/host-schema.js';
import { TargetPolicy } from './model/target-policy.js';
import type { Logger } from './observability/logger.js';
import { GatewayMetrics, GERBANG_VERSION } from './observability/metrics.js';
import { createStore } from './store/create-store.js';
import type { Store } from './store/store.js';

export interface Gateway {
  readonly config: GatewayConfig;
  readonly store: Store;
  readonly publisher: SnapshotPublisher;
  readonly metrics: GatewayMetrics;
  readonly adminToken: string;
  /** Bound addresses (port 0 in the config resolves here). */
  readonly ports: { http: number; https: number; admin: number };
  /** TLS certificates: SNI table, challenge store, ACME manager. */
  readonly certificates: Certificates;
  /** The current snapshot and the per-target health it is compiled against (cluster mode reads both). */
  readonly holder: SnapshotHolder;
  readonly states: TargetStates;
  readonly health: HealthChecker;
  /** Keeps each host's up/down history in the store (one writer among the instances). */
  readonly uptime: UptimeRecorder;
  /** Each host's 90-day summary for the directory, recomputed from the store on a timer (cluster workers get copies). */
  readonly uptimeSummaries: UptimeSummaryKeeper;
  /** The backend address policy, with the data centre's own infrastructure (cluster workers get a copy). */
  readonly policy: TargetPolicy;
  /** TLS session ticket keys shared through the store (cluster mode hands them to the workers). */
  readonly ticketKeys: TicketKeyKeeper;
  /** Adds the usage counted here (and, in cluster mode, by the workers) to the store's counters. */
  readonly usage: UsageFlusher;
  /** Keeps each host's latest defacement findings (cluster mode: the workers' come through the primary). */
  readonly defacement: DefacementFindings;
  /** Display name of an agency, for the directory. */
  agencyName(id: string): string | undefined;
  /** The service inventory (cluster mode hands the directory its services still being moved). */
  readonly inventory: InventoryService;
  /** Re-reads the config file's hosts (SIGHUP); a bad file is reported and the current hosts stay. */
  reload(): Promise<void>;
  /**
   * Reports not ready on /readyz for `limits.shutdownGraceMs` while still serving (a load balancer notices only at
   * its next check), then stops accepting, drains in-flight requests and WebSocket tunnels until the deadline,
   * then closes everything.
   */
  stop(): Promise<void>;
}

/** The config file's hosts, checked like the API's (backend policy included); throws CONFIG_INVALID naming host and target. */
function configHostDocs(
  config: GatewayConfig,
  hosts: GatewayConfig['hosts'],
  policy: TargetPolicy,
  logger: Logger,
): Promise<HostDoc[]> {
  return checkedConfigHosts(hosts, {
    path: config.configPath,
    zones: config.zones,
    policy,
    onUnresolved: (where, message) =>
      logger.warn({ where, err: message }, 'config target does not resolve now; every connection checks it'),
  });
}

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address !== null ? address.port : 0;
}

/** How this process takes part: the whole gateway (default), or the control plane of a cluster (src/cluster/). */
export interface GatewayRoleOptions {
  /** false: no public listeners here (cluster primary: its workers own them). */
  publicListeners?: boolean;
  /** Replaces the admin /metrics text (cluster primary: its own series merged with its workers'). */
  metricsText?: () => Promise<string>;
  /** Told of every cache purge (cluster primary: the workers' caches purge too). */
  onPurge?: (host: string, prefix: string) => void;
  /** Whether the data plane listens yet (cluster primary: every worker); /readyz waits for it too. */
  dataPlaneReady?: () => boolean;
  /** Drains a data plane that runs elsewhere, after the shutdown grace (cluster primary: its workers, until they exit). */
  drainDataPlane?: () => Promise<void>;
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  role: GatewayRoleOptions = {},
): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  const store = createStore(config, logger);
  await store.start();

  const holder = new SnapshotHolder();
  // One SSRF policy for registration (admin API) and connection (pools); own listeners are added after listen.
  const policy = new TargetPolicy(config.backends ?? { allow: [], deny: [] });
  // Known before listen, so that a config host cannot name them either (a port 0 is learnt after listen).
  policy.setOwnListeners([config.http, config.https, config.admin].filter((l) => l.port !== 0));
  // The data centre's own infrastructure: every instance's listeners (from the store) and the store's Redis.
  const instances = new InstanceListeners({ store, policy, logger, version: GERBANG_VERSION });
  let configHosts: HostDoc[];
  try {
    await instances.start();
    if (config.redis) {
      const redis = await storeInfrastructure(config.redis.url, policy.resolveAll, logger);
      policy.setInfrastructure('redis', "the store's Redis", redis);
    }
    configHosts = await configHostDocs(config, config.hosts, policy, logger);
  } catch (err) {
    await instances.stop();
    await store.close();
    throw err;
  }
  const pools = new UpstreamPools({ policy, ...clientPoolOptions(config) });
  const registry = new Registry({ store, logger, metrics });
  await registry.start();
  const auditConfig = config.audit ?? resolveAuditConfig(undefined);
  const audit = new AuditLog(store, logger, auditConfig);
  audit.start();
  const refusals = new RefusalAudit(audit, { windowMs: auditConfig.refusalWindowMs });
  const states = new TargetStates(config.upstream);
  reportTrips(states, metrics, logger);
  metrics.targetHealth = () => targetHealthOf(holder.current);
  // Active checks: one loop per (target, path) on this control plane, verdicts written into the shared states.
  const uptime = new UptimeRecorder({
    store,
    holder,
    logger,
    trafficErrors: () => upstreamErrorTotals(metrics),
  });
  const checkPools = new UpstreamPools({ policy, connections: HEALTH_CHECK_CONNECTIONS });
  const checker = new HealthChecker({
    pools: checkPools,
    logger,
    metrics,
    onVerdict: (origin, up, reason) => {
      states.peek(origin)?.setActive(up, reason);
      uptime.observe();
    },
  });
  holder.onSwap((snapshot) => checker.update(snapshot));
  const publisher = new SnapshotPublisher({
    store,
    holder,
    pools,
    states,
    logger,
    metrics,
    stateDir: config.stateDir,
  });
  publisher.setConfigHosts(configHosts);
  await publisher.start();
  checker.update(holder.current);
  uptime.start();
  const uptimeSummaries = new UptimeSummaryKeeper({
    store,
    logger,
    timeZone: config.timeZone ?? DEFAULT_TIME_ZONE,
  });
  uptimeSummaries.start();

  const { token: adminToken, file: tokenFile } = await resolveBootstrapToken(
    config.adminToken,
    config.stateDir,
  );
  if (tokenFile)
    logger.info({ file: tokenFile }, 'admin token kept in this file (set GERBANG_ADMIN_TOKEN to choose one)');

  // Tickets resume on whichever instance (and, through the primary, worker) a client lands on: one key set in the store.
  const ticketKeys = new TicketKeyKeeper({ store, logger, rotationMs: config.tls?.ticketKeyRotationMs });
  await ticketKeys.start();
  const certificates = await startCertificates({
    config,
    store,
    snapshots: holder,
    logger,
    metrics,
    audit: { log: audit, ownerOf: (host) => publisher.lookup(host)?.doc.agency },
  });
  const inventory = new InventoryService({
    store,
    audit,
    logger,
    metrics,
    zones: config.zones,
    agencyExists: (id) => registry.agency(id) !== undefined,
    agencyName: (id) => registry.agency(id)?.name,
    lookupHost: (host) => publisher.lookup(host),
  });
  await inventory.start();
  const defacement = new DefacementFindings({
    store,
    logger,
    agencyOf: (host) => publisher.lookup(host)?.doc.agency,
  });
  const listeners = await buildPublicListeners({
    config,
    holder,
    pools,
    metrics,
    logger,
    agencyName: (id) => registry.agency(id)?.name,
    moving: inventory,
    uptime: uptimeSummaries,
    https: certificates.https,
    acmeChallenge: (token) => certificates.challenges.answer(token),
    onDefacement: (finding) => void defacement.record(finding),
  });
  const { http: publicApp, https: httpsApp, cache } = listeners;
  certificates.observe(httpsApp.server as unknown as TlsServer);
  const ticketRing = new TicketKeyRing(ticketKeys.keys);
  ticketRing.install(httpsApp.server as unknown as TlsServer);
  ticketKeys.onKeys((keys) => ticketRing.set(keys));
  const hosts = new HostService({ store, publisher, zones: config.zones, registry, policy, audit });
  const accounts = buildAccounts(store, audit, (id) => registry.agency(id) !== undefined);
  const agencies = new AgencyService({
    store,
    registry,
    publisher,
    audit,
    zones: config.zones,
    inventoryOf: (id) => inventory.idsOfAgency(id),
    removeMembersOf: (id, actor) => accounts.users.deleteMembersOf(id, actor),
  });
  const tokens = new TokenService({ store, registry, audit });
  const usage = new UsageFlusher({
    sink: storeSink(store),
    meter: metrics.usage,
    metrics,
    logger,
    intervalMs: config.usage?.flushIntervalMs ?? DEFAULT_USAGE_FLUSH_INTERVAL_MS,
  });
  usage.start();
  const usageRetention = new UsageRetention({
    store,
    logger,
    keepMonths: DEFAULT_USAGE_RETENTION_MONTHS,
    intervalMs: DEFAULT_USAGE_PRUNE_INTERVAL_MS,
  });
  usageRetention.start();
  const trafficRetention = new TrafficRetention({
    store,
    logger,
    keepHours: DEFAULT_TRAFFIC_HOURS,
    intervalMs: DEFAULT_TRAFFIC_PRUNE_INTERVAL_MS,
  });
  trafficRetention.start();
  // Set by stop(); /readyz reads it from the first request on.
  let stopping: Promise<void> | undefined;
  const adminApp = await buildAdminApp(
    adminAppOptions({
      config,
      logger,
      metrics,
      role,
      adminToken,
      store,
      policy,
      registry,
      publisher,
      holder,
      checker,
      certificates,
      cache,
      audit,
      refusals,
      instances,
      services: { hosts, agencies, tokens, inventory, accounts },
      shuttingDown: () => stopping !== undefined,
      defacement,
    }),
  );

  /** Everything but the public listeners, in the order a stop closes it. */
  const closeControlPlane = async (): Promise<void> => {
    await adminApp.close();
    await refusals.flush();
    await audit.stop();
    checker.stop();
    await uptime.stop();
    await uptimeSummaries.stop();
    await checkPools.close();
    await pools.close();
    await cache?.close();
    await certificates.stop();
    ticketKeys.stop();
    // After the listeners drained: the last requests' counts reach the store before it closes.
    usageRetention.stop();
    trafficRetention.stop();
    await usage.stop();
    await defacement.settle();
    await publisher.settle();
    await instances.stop();
    await store.close();
  };
  const listensPublicly = role.publicListeners !== false;
  try {
    if (listensPublicly) {
      await listenOn(publicApp, 'http', config.http);
      await listenOn(httpsApp, 'https', config.https);
    }
    await listenOn(adminApp, 'admin', config.admin);
  } catch (err) {
    // A start that fails leaves nothing open behind it (an embedding process, or the tests, keep running).
    await Promise.all([publicApp.close(), httpsApp.close()]);
    await closeControlPlane();
    throw err;
  }
  const ports = listensPublicly
    ? { http: portOf(publicApp), https: portOf(httpsApp), admin: portOf(adminApp) }
    : { http: config.http.port, https: config.https.port, admin: portOf(adminApp) };
  policy.setOwnListeners([
    { host: config.http.host, port: ports.http },
    { host: config.https.host, port: ports.https },
    { host: config.admin.host, port: ports.admin },
  ]);
  // In cluster mode the workers bind the configured public ports: those are announced too.
  await instances.announce([
    { host: config.http.host, port: ports.http },
    { host: config.https.host, port: ports.https },
    { host: config.admin.host, port: ports.admin },
  ]);
  logger.info(
    {
      http: ports.http,
      https: ports.https,
      admin: ports.admin,
      store: store.kind,
      hosts: publisher.list().length,
    },
    listensPublicly ? 'gerbang listening' : 'control plane ready',
  );

  return {
    config,
    store,
    publisher,
    metrics,
    adminToken,
    ports,
    certificates,
    holder,
    states,
    health: checker,
    uptime,
    uptimeSummaries,
    policy,
    ticketKeys,
    usage,
    defacement,
    agencyName: (id) => registry.agency(id)?.name,
    inventory,
    async reload() {
      if (!config.configPath) return;
      try {
        const file = readConfigFile(config.configPath);
        publisher.setConfigHosts(await configHostDocs(config, file.hosts, policy, logger));
        logger.info({ file: config.configPath }, 'config hosts reloaded');
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'config reload refused; the current hosts stay');
      }
    },
    stop() {
      stopping ??= (async () => {
        // Not ready from now on, but still serving: the load balancer moves traffic away at its next check.
        await sleep(config.limits.shutdownGraceMs);
        logger.info({ graceMs: config.limits.shutdownGraceMs }, 'shutdown grace over; no new connections');
        await role.drainDataPlane?.();
        await drainListeners(listeners, config.limits.drainTimeoutMs);
        await closeControlPlane();
      })();
      return stopping;
    },
  };
}
