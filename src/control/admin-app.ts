/** The admin listener: health, readiness, metrics and the /v1 API; a separate server, never reachable from the public ports. */
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { DEFAULT_ADMIN_BODY_LIMIT } from '../config/defaults.js';
import { GerbangError, isGerbangError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Authenticator, Principal } from './auth.js';
import type { AuthRateLimit } from './auth-rate-limit.js';
import { type CachePurgeOptions, registerCachePurgeRoute } from './cache-purge.js';
import type { CertificateAccess } from './certificates/access.js';
import { registerCertificateRoutes } from './certificates/cert-routes.js';
import type { CertificateService } from './certificates/certificate-service.js';
import { registerStatusRoute, type StatusRouteOptions } from './health/status-routes.js';
import { hostRouteSchemas, metaRouteSchemas } from './host-route-schemas.js';
import type { HostService } from './host-service.js';
import { buildOpenApiDocument, useTypeboxSchemas } from './openapi.js';
import { actorOf, type RegistryRoutesOptions, registerRegistryRoutes } from './registry-routes.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';

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
  /** Shown in /openapi.json. */
  version?: string;
  /** POST /v1/cache/purge; absent = not served. */
  cachePurge?: CachePurgeOptions;
  /** GET /v1/status (targets' health); absent = not served. */
  status?: StatusRouteOptions;
  /** Replaces the /metrics text (cluster primary: its own series merged with its workers'). */
  metricsText?: () => Promise<string>;
  /** Readiness beyond the route table (cluster primary: its workers listen); ready when absent. */
  dataPlaneReady?: () => boolean;
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
  const limiter = options.authRateLimit;
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest, reply) => {
    const path = request.url.split('?', 1)[0] as string;
    if (PUBLIC_PATHS.has(path)) return;
    const wait = limiter?.retryAfter(request.ip) ?? 0;
    if (wait > 0) {
      const body = new GerbangError(
        'TOO_MANY_REQUESTS',
        `too many failed authentications; retry in ${wait} s`,
      );
      return reply.code(429).header('retry-after', String(wait)).send(body.toBody());
    }
    try {
      request.principal = auth.authenticate(request.headers.authorization);
    } catch (err) {
      limiter?.fail(request.ip);
      throw err;
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
    if (isGerbangError(err)) return reply.code(err.statusCode).send(err.toBody());
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
    reply
      .code(404)
      .send(new GerbangError('NOT_FOUND', `no such endpoint: ${request.method} ${request.url}`).toBody());
  });

  app.get('/healthz', { schema: metaRouteSchemas.healthz }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: metaRouteSchemas.readyz }, async (_request, reply) => {
    const ready = publisher.ready && (options.dataPlaneReady?.() ?? true);
    return reply.code(ready ? 200 : 503).send({ ready, staleSeconds: publisher.staleness() });
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

  let openapi: string | undefined;
  app.get('/openapi.json', { schema: metaRouteSchemas.openapi }, async (_request, reply) => {
    openapi ??= JSON.stringify(buildOpenApiDocument(documented, options.version ?? '0'));
    return reply.type('application/json').send(openapi);
  });

  return app;
}
