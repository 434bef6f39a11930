/** The admin listener: health, readiness, metrics and the /v1 API; a separate server, never reachable from the public ports. */
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { DEFAULT_ADMIN_BODY_LIMIT } from '../config/defaults.js';
import { GerbangError, isGerbangError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';
import { acceptJsonBodiesOnly, trackRouteMethods } from './admin-request-shape.js';
import type { Authenticator, Principal } from './auth.js';
import type { AuthRateLimit } from './auth-rate-limit.js';
import { type CachePurgeOptions, registerCachePurgeRoute } from './cache-purge.js';
import type { CertificateAccess } from './certificates/access.js';
import { registerCertificateRoutes } from './certificates/cert-routes.js';
import type { CertificateService } from './certificates/certificate-service.js';
import { type DefacementRouteOptions, registerDefacementRoute } from './defacement/defacement-routes.js';
import { registerStatusRoute, type StatusRouteOptions } from './health/status-routes.js';
import { hostRouteSchemas, metaRouteSchemas } from './host-route-schemas.js';
import type { HostService } from './host-service.js';
import { type InstanceListing, registerInstanceRoutes } from './instance-routes.js';
import { type InventoryRoutesOptions, registerInventoryRoutes } from './inventory/inventory-routes.js';
import { ownsAuthentication } from './konsol/konsol-guard.js';
import { type KonsolOptions, registerKonsol } from './konsol/konsol-routes.js';
import { buildOpenApiDocument, useTypeboxSchemas } from './openapi.js';
import type { RefusalAudit } from './refusal-audit.js';
import { actorOf, type RegistryRoutesOptions, registerRegistryRoutes } from './registry-routes.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';
import type { StoreRecovery } from './store-recovery.js';
import { registerStoreRecoveryRoutes } from './store-recovery-routes.js';
import type { TransferOptions } from './transfer/transfer-options.js';
import { registerTransferRoutes } from './transfer/transfer-routes.js';
import { registerUptimeRoute, type UptimeRouteOptions } from './uptime/uptime-routes.js';
import { registerTrafficRoutes, trafficReader } from './usage/traffic-routes.js';
import { registerUsageRoutes } from './usage/usage-routes.js';

export interface AdminAppOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  auth: Authenticator;
  hosts: HostService;
  publisher: SnapshotPublisher;
  /** Certificate endpoints (/v1/certificates); absent = not served. */
  certificates?: CertificateService;
  /** Who may manage which certificate; admins only when absent. */
  certificateAccess?: CertificateAccess;
  /** Agencies, tokens and audit endpoints; absent = not served. */
  registry?: RegistryRoutesOptions;
  /** Failed-authentication limiter per client address; absent = unlimited. */
  authRateLimit?: AuthRateLimit;
  /** Audits refused calls (401, 403, 429), summarised; absent = only the process log has them. */
  refusals?: RefusalAudit;
  /** Shown in /openapi.json. */
  version?: string;
  /** POST /v1/cache/purge; absent = not served. */
  cachePurge?: CachePurgeOptions;
  /** GET /v1/status (targets' health); absent = not served. */
  status?: StatusRouteOptions;
  /** GET /v1/uptime (kept uptime per month); absent = not served. */
  uptime?: UptimeRouteOptions;
  /** GET /v1/defacement (each host's latest defacement findings); absent = not served. */
  defacement?: DefacementRouteOptions;
  /** /v1/store: confirm or restore a store that came back empty without deletions; absent = not served. */
  storeRecovery?: StoreRecovery;
  /** GET /v1/instances (every live instance and its last heartbeat); absent = not served. */
  instances?: InstanceListing;
  /** Konsol (/konsol/) and its accounts (/v1/users); absent = not served. */
  konsol?: KonsolOptions;
  /** /v1/inventory and /v1/onboard (every agency's services, onboarding a legacy portal); absent = not served. */
  inventory?: InventoryRoutesOptions;
  /** GET /v1/reports/usage and /v1/reports/traffic, read from this store's usage counters; absent = not served. */
  usage?: Store;
  /** GET /v1/export and POST /v1/import (configuration as code); absent = not served. */
  transfer?: TransferOptions;
  /** Replaces the /metrics text (cluster primary: its own series merged with its workers'). */
  metricsText?: () => Promise<string>;
  /** Readiness beyond the route table (cluster primary: its workers listen); ready when absent. */
  dataPlaneReady?: () => boolean;
  /** True from SIGTERM on: /readyz says not ready while requests are still served (the shutdown grace). */
  shuttingDown?: () => boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json']);

export async function buildAdminApp(options: AdminAppOptions): Promise<FastifyInstance> {
  const { auth, hosts, publisher, metrics } = options;
  const app = Fastify({
    loggerInstance: options.logger.child({ log: 'admin' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_ADMIN_BODY_LIMIT,
  }) as unknown as FastifyInstance;

  // Before any route: every route's schema validates with typebox and is collected for /openapi.json.
  const documented = useTypeboxSchemas(app);
  acceptJsonBodiesOnly(app);
  const routeMethods = trackRouteMethods(app);
  const limiter = options.authRateLimit;
  const refuse = (request: FastifyRequest, err: GerbangError): void =>
    options.refusals?.record({
      ip: request.ip,
      status: err.statusCode,
      code: err.code,
      method: request.method,
      path: (request.url.split('?', 1)[0] as string).slice(0, 300),
      principal: request.principal,
    });
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const path = request.url.split('?', 1)[0] as string;
    // Konsol and the own-password route authenticate themselves (a session cookie, the current password).
    if (PUBLIC_PATHS.has(path) || (options.konsol && ownsAuthentication(path))) return;
    // The credential first: a valid token always gets in, whatever others did from the same address.
    try {
      request.principal = auth.authenticate(request.headers.authorization);
    } catch (err) {
      const wait = limiter?.fail(request.ip) ?? 0;
      if (wait === 0) throw err;
      const body = new GerbangError(
        'TOO_MANY_REQUESTS',
        `too many failed authentications; retry in ${wait} s`,
      );
      refuse(request, body);
      return reply.code(429).header('retry-after', String(wait)).send(body.toBody());
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    // Admin calls are few and worth a line each; the Authorization header is never part of it.
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        token: undefined,
        who: request.principal?.tokenId,
      },
      'admin request',
    );
  });

  app.setErrorHandler((err, request, reply) => {
    if (isGerbangError(err)) {
      refuse(request, err);
      return reply.code(err.statusCode).send(err.toBody());
    }
    const fastifyErr = err as { statusCode?: number; code?: string; message: string };
    const status = fastifyErr.statusCode ?? 500;
    if (status === 413)
      return reply.code(413).send(new GerbangError('PAYLOAD_TOO_LARGE', 'body too large').toBody());
    if (status === 415) {
      return reply
        .code(415)
        .send(new GerbangError('UNSUPPORTED_MEDIA_TYPE', 'send application/json').toBody());
    }
    if (status >= 400 && status < 500) {
      return reply.code(400).send(new GerbangError('BAD_REQUEST', fastifyErr.message).toBody());
    }
    request.log.error({ err }, 'admin API failure');
    return reply.code(500).send(new GerbangError('INTERNAL', 'internal error').toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = routeMethods.allowed(request.url.split('?', 1)[0] as string);
    if (allowed.length > 0) {
      const message = `${request.method} is not allowed on ${request.url}; use ${allowed.join(', ')}`;
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(new GerbangError('METHOD_NOT_ALLOWED', message).toBody());
    }
    return reply
      .code(404)
      .send(new GerbangError('NOT_FOUND', `no such endpoint: ${request.method} ${request.url}`).toBody());
  });

  app.get('/healthz', { schema: metaRouteSchemas.healthz }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: metaRouteSchemas.readyz }, async (_request, reply) => {
    const shuttingDown = options.shuttingDown?.() ?? false;
    const ready = !shuttingDown && publisher.ready && (options.dataPlaneReady?.() ?? true);
    return reply
      .code(ready ? 200 : 503)
      .send({ ready, staleSeconds: publisher.staleness(), ...(shuttingDown ? { shuttingDown } : {}) });
  });
  app.get('/metrics', { schema: metaRouteSchemas.metrics }, async (_request, reply) => {
    publisher.updateGauges();
    const text = options.metricsText ? await options.metricsText() : await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });

  app.get('/v1/hosts', { schema: hostRouteSchemas.list }, async (request) => ({
    hosts: hosts.list(request.principal),
  }));
  app.get<{ Params: { host: string } }>(
    '/v1/hosts/:host',
    { schema: hostRouteSchemas.get },
    async (request) => hosts.get(request.params.host, request.principal),
  );
  app.put<{ Params: { host: string } }>(
    '/v1/hosts/:host',
    { schema: hostRouteSchemas.put },
    async (request, reply) => {
      const { view, created } = await hosts.put(request.params.host, request.body, actorOf(request));
      return reply.code(created ? 201 : 200).send(view);
    },
  );
  app.patch<{ Params: { host: string } }>(
    '/v1/hosts/:host',
    { schema: hostRouteSchemas.patch },
    async (request) => hosts.patch(request.params.host, request.body, actorOf(request)),
  );
  app.delete<{ Params: { host: string } }>(
    '/v1/hosts/:host',
    { schema: hostRouteSchemas.delete },
    async (request, reply) => {
      await hosts.delete(request.params.host, actorOf(request));
      return reply.code(204).send();
    },
  );
  if (options.registry) registerRegistryRoutes(app, options.registry);

  if (options.certificates) registerCertificateRoutes(app, options.certificates, options.certificateAccess);
  if (options.cachePurge) registerCachePurgeRoute(app, options.cachePurge);
  if (options.status) registerStatusRoute(app, options.status);
  if (options.uptime) registerUptimeRoute(app, options.uptime);
  if (options.defacement) registerDefacementRoute(app, options.defacement);
  if (options.storeRecovery) registerStoreRecoveryRoutes(app, options.storeRecovery);
  if (options.instances) registerInstanceRoutes(app, options.instances);
  if (options.konsol) registerKonsol(app, options.konsol);
  if (options.transfer) registerTransferRoutes(app, options.transfer);
  if (options.usage) registerUsageRoutes(app, options.usage);
  if (options.usage) registerTrafficRoutes(app, trafficReader(options.usage, hosts));
  if (options.inventory) registerInventoryRoutes(app, options.inventory);

  let openapi: string | undefined;
  app.get('/openapi.json', { schema: metaRouteSchemas.openapi }, async (_request, reply) => {
    openapi ??= JSON.stringify(buildOpenApiDocument(documented, options.version ?? '0'));
    return reply.type('application/json').send(openapi);
  });

  return app;
}
