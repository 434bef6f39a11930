/** After each request: one access-log line and the request metrics; upstream failures are counted here too. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from './logger.js';
import { type GatewayMetrics, methodLabel, statusClass, UNKNOWN_HOST } from './metrics.js';

export interface RequestObserver {
  onResponse(request: FastifyRequest, reply: FastifyReply): void;
  onUpstreamError(request: FastifyRequest | undefined, reason: string, err: unknown): void;
  onInternalError(request: FastifyRequest, err: unknown): void;
}

export interface ObserverOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  accessLog: boolean;
}

export function createRequestObserver(options: ObserverOptions): RequestObserver {
  const { logger, metrics, accessLog } = options;
  const access = logger.child({ log: 'access' });

  return {
    onResponse(request, reply) {
      const ctx = request.gerbang;
      const raw = request.raw;
      const status = reply.statusCode;
      const seconds = reply.elapsedTime / 1000;
      const hostLabel = ctx?.host?.name ?? UNKNOWN_HOST;
      const agency = ctx?.host?.agency ?? '';
      metrics.requests.inc({
        host: hostLabel,
        agency,
        method: methodLabel(raw.method ?? ''),
        code: statusClass(status),
      });
      metrics.requestDuration.observe({ host: hostLabel }, seconds);
      const upstreamMs = ctx?.upstreamMs ?? -1;
      if (upstreamMs >= 0) metrics.upstreamDuration.observe({ host: hostLabel }, upstreamMs / 1000);
      if (!accessLog) return;
      access.info({
        reqId: request.id,
        method: raw.method,
        host: raw.headers.host,
        url: raw.url,
        route: ctx?.route?.path,
        target: ctx?.target?.origin,
        status,
        bytesIn: Number(raw.headers['content-length'] ?? 0),
        bytesOut: ctx ? raw.socket.bytesWritten - ctx.bytesWrittenAtStart : 0,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        upstreamMs: upstreamMs >= 0 ? Math.round(upstreamMs * 100) / 100 : undefined,
        error: ctx?.errorCode,
        peer: raw.socket.remoteAddress,
      });
    },
    onUpstreamError(request, reason, err) {
      const host = request?.gerbang?.host?.name ?? UNKNOWN_HOST;
      metrics.upstreamErrors.inc({ host, reason });
      logger.warn({ reqId: request?.id, host, reason, err: (err as Error)?.message }, 'upstream error');
    },
    onInternalError(request, err) {
      logger.error({ reqId: request.id, err }, 'internal error on the request path');
    },
  };
}
