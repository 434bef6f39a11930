/** The admin listener: health, readiness, metrics and the /v1 API; a separate server, never reachable from the public ports. */
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { DEFAULT_ADMIN_BODY_LIMIT } from '../config/defaults.js';
import { GerbangError, isGerbangError } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Authenticator, Principal } from './auth.js';
import type { HostService } from './host-service.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';

export interface AdminAppOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  auth: Authenticator;
  hosts: HostService;
  publisher: SnapshotPublisher;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export async function buildAdminApp(options: AdminAppOptions): Promise<FastifyInstance> {
  const { auth, hosts, publisher, metrics } = options;
  const app = Fastify({
    loggerInstance: options.logger.child({ log: 'admin' }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: DEFAULT_ADMIN_BODY_LIMIT,
  }) as unknown as FastifyInstance;

  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const path = request.url.split('?', 1)[0] as string;
    if (PUBLIC_PATHS.has(path)) return;
    request.principal = auth.authenticate(request.headers.authorization);
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

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = publisher.ready;
    return reply.code(ready ? 200 : 503).send({ ready, staleSeconds: publisher.staleness() });
  });
  app.get('/metrics', async (_request, reply) => {
    publisher.updateGauges();
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.get('/v1/hosts', async () => ({ hosts: hosts.list() }));
  app.get<{ Params: { host: string } }>('/v1/hosts/:host', async (request) => hosts.get(request.params.host));
  app.put<{ Params: { host: string } }>('/v1/hosts/:host', async (request, reply) => {
    const { view, created } = await hosts.put(request.params.host, request.body);
    return reply.code(created ? 201 : 200).send(view);
  });
  app.delete<{ Params: { host: string } }>('/v1/hosts/:host', async (request, reply) => {
    await hosts.delete(request.params.host);
    return reply.code(204).send();
  });

  return app;
}
