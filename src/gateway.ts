/** Builds and runs one Gerbang instance from a resolved config: store, control plane, data plane; and stops it cleanly. */

import type { Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { readConfigFile } from './config/load-config.js';
import type { GatewayConfig } from './config/schema.js';
import { buildAdminApp } from './control/admin-app.js';
import { AgencyService } from './control/agency-service.js';
import { AuditLog } from './control/audit-log.js';
import { Authenticator } from './control/auth.js';
import { AuthRateLimit } from './control/auth-rate-limit.js';
import { assertHostAccess, canSeeHost } from './control/authorization.js';
import { resolveBootstrapToken } from './control/bootstrap-token.js';
import { type Certificates, startCertificates } from './control/certificates/certificates.js';
import { HealthChecker } from './control/health/health-checker.js';
import { HEALTH_CHECK_CONNECTIONS, targetHealthOf } from './control/health/target-health-series.js';
import { HostService, toHostDoc } from './control/host-service.js';
import { Registry } from './control/registry.js';
import { SnapshotPublisher } from './control/snapshot-publisher.js';
import { TokenService } from './control/token-service.js';
import { TargetStates } from './data/balancer.js';
import { reportTrips } from './data/health/report-trips.js';
import { buildPublicListeners, drainListeners } from './data/public-listeners.js';
import { SnapshotHolder } from './data/snapshot.js';
import { UpstreamPools } from './data/upstream-pools.js';
import type { HostDoc } from './model/host-schema.js';
import { TargetPolicy } from './model/target-policy.js';
import type { Logger } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { EmbeddedStore } from './store/embedded-store.js';
import { RedisStore } from './store/redis-store.js';
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
  /** Display name of an agency, for the directory. */
  agencyName(id: string): string | undefined;
  /** Re-reads the config file's hosts (SIGHUP); a bad file is reported and the current hosts stay. */
  reload(): Promise<void>;
  /** Stops accepting, drains in-flight requests until the deadline, then closes everything. */
  stop(): Promise<void>;
}

function configHostDocs(config: GatewayConfig, hosts: GatewayConfig['hosts']): HostDoc[] {
  return (hosts ?? []).map((h, i) => {
    try {
      return toHostDoc(h.host, h, config.zones);
    } catch (err) {
      throw new Error(`${config.configPath ?? 'config'} /hosts/${i}: ${(err as Error).message}`);
    }
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
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger,
  role: GatewayRoleOptions = {},
): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  const store: Store = config.redis
    ? new RedisStore({ url: config.redis.url, prefix: config.redis.prefix, logger })
    : new EmbeddedStore({ stateDir: config.stateDir, logger });
  await store.start();

  const holder = new SnapshotHolder();
  // One SSRF policy for registration (admin API) and connection (pools); own listeners are added after listen.
  const policy = new TargetPolicy(config.backends ?? { allow: [], deny: [] });
  const pools = new UpstreamPools({ policy });
  const registry = new Registry({ store, logger, metrics });
  await registry.start();
  const audit = new AuditLog(store, logger);
  const states = new TargetStates(config.upstream);
  reportTrips(states, metrics, logger);
  metrics.targetHealth = () => targetHealthOf(holder.current);
  // Active checks: one loop per (target, path) on this control plane, verdicts written into the shared states.
  const checkPools = new UpstreamPools({ policy, connections: HEALTH_CHECK_CONNECTIONS });
  const checker = new HealthChecker({
    pools: checkPools,
    logger,
    metrics,
    onVerdict: (origin, up, reason) => states.peek(origin)?.setActive(up, reason),
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
  publisher.setConfigHosts(configHostDocs(config, config.hosts));
  await publisher.start();
  checker.update(holder.current);

  const { token: adminToken, file: tokenFile } = await resolveBootstrapToken(
    config.adminToken,
    config.stateDir,
  );
  if (tokenFile)
    logger.info({ file: tokenFile }, 'admin token kept in this file (set GERBANG_ADMIN_TOKEN to choose one)');

  const certificates = await startCertificates({ config, store, snapshots: holder, logger, metrics });
  const listeners = await buildPublicListeners({
    config,
    holder,
    pools,
    metrics,
    logger,
    agencyName: (id) => registry.agency(id)?.name,
    https: certificates.https,
    acmeChallenge: (token) => certificates.challenges.answer(token),
  });
  const { http: publicApp, https: httpsApp, cache } = listeners;
  certificates.observe(httpsApp.server as unknown as TlsServer);
  const hosts = new HostService({ store, publisher, zones: config.zones, registry, policy, audit });
  const agencies = new AgencyService({ store, registry, publisher, audit, zones: config.zones });
  const tokens = new TokenService({ store, registry, audit });
  const adminApp = await buildAdminApp({
    logger,
    metrics,
    auth: new Authenticator(adminToken, registry),
    hosts,
    publisher,
    certificates: certificates.service,
    certificateAccess: {
      assertHost: (principal, host) => assertHostAccess(principal, host, publisher, registry),
      canSee: (principal, host) => {
        const found = publisher.lookup(host);
        return found !== undefined ? canSeeHost(principal, found.doc) : principal.scope === 'admin';
      },
    },
    registry: { agencies, tokens, audit },
    authRateLimit: new AuthRateLimit(),
    status: {
      snapshot: () => holder.current,
      checks: (origin) => checker.statusOf(origin),
      zones: config.zones,
      authorize: (principal, host) => assertHostAccess(principal, host, publisher, registry),
    },
    ...(role.metricsText ? { metricsText: role.metricsText } : {}),
    ...(role.dataPlaneReady ? { dataPlaneReady: role.dataPlaneReady } : {}),
    ...(cache
      ? {
          cachePurge: {
            purger: role.onPurge
              ? {
                  purge: (host: string, prefix: string) => {
                    role.onPurge?.(host, prefix);
                    return cache.purge(host, prefix);
                  },
                }
              : cache,
            zones: config.zones,
            authorize: (principal, host) => assertHostAccess(principal, host, publisher, registry),
            audit: { log: audit, ownerOf: (host: string) => publisher.lookup(host)?.doc.agency },
          },
        }
      : {}),
  });

  const listensPublicly = role.publicListeners !== false;
  if (listensPublicly) {
    await publicApp.listen({ host: config.http.host, port: config.http.port });
    await httpsApp.listen({ host: config.https.host, port: config.https.port });
  }
  await adminApp.listen({ host: config.admin.host, port: config.admin.port });
  const ports = listensPublicly
    ? { http: portOf(publicApp), https: portOf(httpsApp), admin: portOf(adminApp) }
    : { http: config.http.port, https: config.https.port, admin: portOf(adminApp) };
  policy.setOwnListeners([
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

  let stopping: Promise<void> | undefined;
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
    agencyName: (id) => registry.agency(id)?.name,
    async reload() {
      if (!config.configPath) return;
      try {
        const file = readConfigFile(config.configPath);
        publisher.setConfigHosts(configHostDocs(config, file.hosts));
        logger.info({ file: config.configPath }, 'config hosts reloaded');
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'config reload refused; the current hosts stay');
      }
    },
    stop() {
      stopping ??= (async () => {
        await drainListeners(listeners, config.limits.drainTimeoutMs);
        await adminApp.close();
        checker.stop();
        await checkPools.close();
        await pools.close();
        await cache?.close();
        await certificates.stop();
        await publisher.settle();
        await store.close();
      })();
      return stopping;
    },
  };
}
