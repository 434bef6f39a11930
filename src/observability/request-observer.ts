/** After each request: one access-log line and the request metrics; upstream failures are counted here too. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessLogOf } from './access-log.js';
import { HostSeriesCache } from './host-series.js';
import type { Logger } from './logger.js';
import { type GatewayMetrics, UNKNOWN_HOST } from './metrics.js';

export interface RequestObserver {
  onResponse(request: FastifyRequest, reply: FastifyReply): void;
  onUpstreamError(request: FastifyRequest | undefined, reason: string, err: unknown): void;
  onInternalError(request: FastifyRequest, err: unknown): void;
  /** Counts open connections and in-flight requests of a public listener (`http`, `https`). */
  observeListener(server: Server, name: string): void;
}

/** Where a connection remembers its byte counters at the end of its previous response. */
const LAST_READ = Symbol('gerbang.lastRead');
const LAST_WRITTEN = Symbol('gerbang.lastWritten');

type CountedSocket = Socket & { [LAST_READ]?: number; [LAST_WRITTEN]?: number };
const REQUEST_SOCKET = Symbol('gerbang.socket');
type CountedRequest = IncomingMessage & { [REQUEST_SOCKET]?: CountedSocket };

export interface ObserverOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  accessLog: boolean;
}

export function createRequestObserver(options: ObserverOptions): RequestObserver {
  const { logger, metrics, accessLog } = options;
  const access = accessLog ? accessLogOf(logger) : undefined;
  const seriesCache = new HostSeriesCache(metrics);

  return {
    onResponse(request, reply) {
      const ctx = request.gerbang;
      const raw = request.raw;
      const status = reply.statusCode;
      const seconds = reply.elapsedTime / 1000;
      // Bound children per compiled host: no label hashing on the hot path.
      const series = seriesCache.of(ctx?.host);
      series.requests(raw.method ?? '', status).inc();
      series.duration.observe(seconds);
      const upstreamMs = ctx?.upstreamMs ?? -1;
      if (upstreamMs >= 0) series.upstreamDuration.observe(upstreamMs / 1000);
      // raw.socket is gone once Node closed a connection whose request body was left unread: kept at arrival.
      const socket = (raw as CountedRequest)[REQUEST_SOCKET];
      let bytesIn = 0;
      let bytesOut = 0;
      if (socket) {
        // Deltas since the previous response on this connection: head and body, as on the wire.
        const read = socket.bytesRead;
        const written = socket.bytesWritten;
        bytesIn = read - (socket[LAST_READ] ?? 0);
        bytesOut = written - (socket[LAST_WRITTEN] ?? 0);
        series.requestBytes.inc(bytesIn);
        series.responseBytes.inc(bytesOut);
        socket[LAST_READ] = read;
        socket[LAST_WRITTEN] = written;
      }
      if (access === undefined) return;
      access({
        reqId: request.id,
        method: raw.method,
        host: raw.headers.host,
        url: raw.url,
        route: ctx?.route?.path,
        target: ctx?.target?.origin,
        status,
        bytesIn,
        bytesOut,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        upstreamMs: upstreamMs >= 0 ? Math.round(upstreamMs * 100) / 100 : undefined,
        error: ctx?.errorCode,
        peer: socket?.remoteAddress,
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
    observeListener(server, name) {
      const stats = metrics.listener(name);
      // One shared closure per listener: a request adds a listener entry, never a new function.
      const requestClosed = () => {
        stats.inFlight--;
      };
      const connectionClosed = () => {
        stats.connections--;
      };
      server.on('connection', (socket: Socket) => {
        stats.connections++;
        socket.on('close', connectionClosed);
      });
      server.on('request', (req: CountedRequest, res: ServerResponse) => {
        req[REQUEST_SOCKET] = req.socket as CountedSocket;
        stats.inFlight++;
        res.on('close', requestClosed);
      });
    },
  };
}
