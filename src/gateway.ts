/** Builds and runs one Gerbang instance from a resolved config: store, control plane, data plane; and stops it cleanly. */
import type { FastifyInstance } from 'fastify';
import { readConfigFile } from './config/load-config.js';
import type { GatewayConfig } from './config/schema.js';
import { buildAdminApp } from './control/admin-app.js';
import { Authenticator } from './control/auth.js';
import { resolveBootstrapToken } from './control/bootstrap-token.js';
import { HostService, toHostDoc } from './control/host-service.js';
import { SnapshotPublisher } from './control/snapshot-publisher.js';
import { TargetStates } from './data/balancer.js';
import { buildPublicApp } from './data/public-app.js';
import { SnapshotHolder } from './data/snapshot.js';
import { UpstreamPools } from './data/upstream-pools.js';
import type { HostDoc } from './model/host-schema.js';
import type { Logger } from './observability/logger.js';
import { GatewayMetrics } from './observability/metrics.js';
import { createRequestObserver } from './observability/request-observer.js';
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
  readonly ports: { http: number; admin: number };
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

export async function startGateway(config: GatewayConfig, logger: Logger): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  const store: Store = config.redis
    ? new RedisStore({ url: config.redis.url, prefix: config.redis.prefix, logger })
    : new EmbeddedStore({ stateDir: config.stateDir, logger });
  await store.start();

  const holder = new SnapshotHolder();
  const pools = new UpstreamPools();
  const states = new TargetStates();
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

  const { token: adminToken, file: tokenFile } = await resolveBootstrapToken(
    config.adminToken,
    config.stateDir,
  );
  if (tokenFile)
    logger.info({ file: tokenFile }, 'admin token kept in this file (set GERBANG_ADMIN_TOKEN to choose one)');

  const observer = createRequestObserver({ logger, metrics, accessLog: config.accessLog });
  const publicApp = await buildPublicApp({ scheme: 'http', config, holder, pools, observer });
  const hosts = new HostService({ store, publisher, zones: config.zones });
  const adminApp = await buildAdminApp({
    logger,
    metrics,
    auth: new Authenticator(adminToken),
    hosts,
    publisher,
  });

  await publicApp.listen({ host: config.http.host, port: config.http.port });
  await adminApp.listen({ host: config.admin.host, port: config.admin.port });
  const ports = { http: portOf(publicApp), admin: portOf(adminApp) };
  logger.info(
    { http: ports.http, admin: ports.admin, store: store.kind, hosts: publisher.list().length },
    'gerbang listening',
  );

  let stopping: Promise<void> | undefined;
  return {
    config,
    store,
    publisher,
    metrics,
    adminToken,
    ports,
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
        const deadline = setTimeout(
          () => publicApp.server.closeAllConnections(),
          config.limits.drainTimeoutMs,
        );
        deadline.unref();
        await publicApp.close();
        clearTimeout(deadline);
        await adminApp.close();
        await pools.close();
        await publisher.settle();
        await store.close();
      })();
      return stopping;
    },
  };
}
