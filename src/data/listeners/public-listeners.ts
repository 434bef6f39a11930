/** Both public listeners of one data plane (HTTP and HTTPS) and what they share, built alike in the single process and in a cluster worker. */
import type { TlsOptions } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import { resolveCacheConfig } from '../../config/cache-config.js';
import { DEFAULT_DIRECTORY_LABEL } from '../../config/defaults.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { UptimeSummaries } from '../../model/service-uptime.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { createRequestObserver } from '../../observability/request-observer.js';
import { RedisVariants } from '../cache/redis-variants.js';
import { SharedCache } from '../cache/shared-cache.js';
import { CompressionMeter } from '../compression/compression-meter.js';
import { createDefacementWatch } from '../defacement/create-watch.js';
import type { DefacementFinding } from '../defacement/finding.js';
import type { MovingServices } from '../directory/directory-data.js';
import { ServiceDirectory } from '../directory/service-directory.js';
import { createRateLimits } from '../limits/rate-limits.js';
import { destroyUpgraded } from '../proxy/upgraded-connections.js';
import type { UpstreamPools } from '../proxy/upstream-pools.js';
import type { SnapshotHolder } from '../routing/snapshot.js';
import type { ChallengeLookup } from '../tls/plain-http.js';
import { buildPublicApp, type PublicAppOptions } from './public-app.js';

export interface DataPlaneInput {
  config: GatewayConfig;
  holder: SnapshotHolder;
  pools: UpstreamPools;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Display name of an agency, for the service directory. */
  agencyName: (id: string) => string | undefined;
  /** Services still being moved behind Gerbang (the inventory), for the directory's own section; none when absent. */
  moving?: MovingServices;
  /** Each service's 90-day uptime for the directory's bars (from the control plane); no bars when absent. */
  uptime?: UptimeSummaries;
  /** TLS server options of the HTTPS listener (SNI from the certificate table). */
  https: TlsOptions;
  /** Answers ACME HTTP-01 tokens on the HTTP listener. */
  acmeChallenge: ChallengeLookup;
  /** Told of every defacement finding (the control plane keeps them; a cluster worker sends them to the primary). */
  onDefacement?: (finding: DefacementFinding) => void;
}

export interface PublicListeners {
  http: FastifyInstance;
  https: FastifyInstance;
  /** The shared cache both listeners use; undefined when `cache.memoryBytes` is 0. */
  cache: SharedCache | undefined;
}

export async function buildPublicListeners(input: DataPlaneInput): Promise<PublicListeners> {
  const { config, holder, pools, metrics, logger } = input;
  const cacheConfig = config.cache ?? resolveCacheConfig(undefined);
  // memoryBytes 0 turns the cache off: no route then does any cache work.
  const cache =
    cacheConfig.memoryBytes > 0
      ? new SharedCache({ config: cacheConfig, redis: config.redis, metrics, logger })
      : undefined;
  cache?.start();
  const defacement = createDefacementWatch(input, cache);
  const directory =
    config.directory?.enabled === false
      ? undefined
      : new ServiceDirectory({
          host: config.directory?.host ?? `${DEFAULT_DIRECTORY_LABEL}.${config.zones[0]}`,
          holder,
          agencyName: input.agencyName,
          ...(input.moving ? { moving: input.moving } : {}),
          ...(input.uptime ? { uptime: input.uptime } : {}),
          timeZone: config.timeZone,
        });
  const observer = createRequestObserver({ logger, metrics, accessLog: config.accessLog });
  const onRetry: NonNullable<PublicAppOptions['onRetry']> = (request, reason) =>
    metrics.upstreamRetries.inc({ host: request.gerbang.host?.name ?? '', reason });
  const onConnectionCut: NonNullable<PublicAppOptions['onConnectionCut']> = (listener, reason) =>
    metrics.connectionsCut.inc({ listener, reason });
  // One limiter for both listeners: an address counts the same over HTTP and HTTPS.
  const rates = createRateLimits(config, metrics, logger);
  const shared = {
    compression: new CompressionMeter(
      metrics,
      (entry) => cache?.memory.touch(entry.key),
      cache?.redis === undefined
        ? undefined
        : new RedisVariants(cache.redis, cache.config.redisMaxObjectBytes),
      config.limits.maxCompressingResponses,
    ),
    onConnectionCut,
    requestsByProtocol: {
      h1: metrics.requestsByProtocol.bind({ listener: 'https', protocol: 'http/1.1' }),
      h2: metrics.requestsByProtocol.bind({ listener: 'https', protocol: 'h2' }),
    },
    rateLimiter: rates.limiter,
    config,
    holder,
    pools,
    observer,
    onRetry,
    ...(cache ? { cache } : {}),
    ...(directory ? { directory } : {}),
    ...(defacement ? { defacement } : {}),
  };
  const http = await buildPublicApp({ ...shared, scheme: 'http', acmeChallenge: input.acmeChallenge });
  const https = await buildPublicApp({ ...shared, scheme: 'https', https: input.https });
  http.addHook('onClose', (_app, done) => {
    rates.close();
    void defacement?.close();
    done();
  });
  return { http, https, cache };
}

/**
 * Stops accepting, lets in-flight requests and WebSocket tunnels finish, and cuts what is still open when the
 * deadline passes: upgraded sockets too, which Node's closeAllConnections no longer knows (the close waits for them).
 */
export async function drainListeners(
  listeners: Pick<PublicListeners, 'http' | 'https'>,
  deadlineMs: number,
): Promise<void> {
  const deadline = setTimeout(() => {
    for (const app of [listeners.http, listeners.https]) {
      app.server.closeAllConnections();
      destroyUpgraded(app.server);
    }
  }, deadlineMs);
  deadline.unref();
  await Promise.all([listeners.http.close(), listeners.https.close()]);
  clearTimeout(deadline);
}
