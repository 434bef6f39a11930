/** After each request: one access-log line and the request metrics; upstream failures are counted here too. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { GatewayRequest } from '../data/routing/exchange.js';
import type { RequestContext } from '../data/routing/request-context.js';
import { requestIdOf } from '../data/routing/request-id.js';
import type { PolicyEvents } from '../data/routing/routing-front.js';
import { ACCESS_LOG_CODES, CLIENT_CLOSED_STATUS } from '../errors.js';
import { accessLogOf } from './access-log.js';
import { HostSeriesCache } from './host-series.js';
import type { Logger } from './logger.js';
import { type GatewayMetrics, UNKNOWN_HOST } from './metrics.js';
import { createPolicyEvents } from './policy-events.js';

export interface RequestObserver {
  /**
   * A reply written whole on Node's response without fastify (the fresh-hit front), recorded as soon as it is
   * handed to the socket: it was never in flight across an event-loop turn.
   */
  recordRawReply(
    req: IncomingMessage,
    status: number,
    startMs: number,
    reqId: string,
    observed: ObservedRequest,
  ): void;
  onUpstreamError(request: GatewayRequest | undefined, reason: string, err: unknown): void;
  onInternalError(request: GatewayRequest, err: unknown): void;
  /**
   * Counts open connections of a public listener (`http`, `https`) and returns what its request listener calls
   * for every request fastify or the proxied front takes: the request is counted in flight, and its access line
   * and metrics are written when its response closes, complete or not (see `recordClosed`). One request listener,
   * not a second one that every request's emit would copy the listener array for.
   */
  observeListener(server: Server, name: string): RequestArrival;
  /** Probe matches and refused addresses, told by the routing front (absent in tests that need none). */
  readonly policyEvents?: PolicyEvents | undefined;
}

export type RequestArrival = (req: IncomingMessage, res: ServerResponse) => void;

/** Where a connection remembers its byte counters at the end of its previous response. */
const LAST_READ = Symbol('gerbang.lastRead');
const LAST_WRITTEN = Symbol('gerbang.lastWritten');

type CountedSocket = Socket & { [LAST_READ]?: number; [LAST_WRITTEN]?: number };
const REQUEST_SOCKET = Symbol('gerbang.socket');
const ARRIVED_MS = Symbol('gerbang.arrivedMs');
const EXCHANGE = Symbol('gerbang.exchange');
type CountedRequest = IncomingMessage & {
  [REQUEST_SOCKET]?: CountedSocket;
  [ARRIVED_MS]?: number;
  [EXCHANGE]?: GatewayRequest;
};

/**
 * Tells the observer which request object stands for `raw` (fastify's, or the proxied front's): its id and routing
 * context go into the access line. A request answered before any handler named it (fastify's own 503 while
 * closing, a path its router refused) is logged with no routing and the id requestIdOf gives.
 */
export function observeAs(raw: IncomingMessage, request: GatewayRequest): void {
  (raw as CountedRequest)[EXCHANGE] = request;
}

function sessionSocketOf(req: IncomingMessage): Socket | undefined {
  return (req as IncomingMessage & { stream?: { session?: { socket?: Socket } } }).stream?.session?.socket;
}

/** What the metrics and the access line read of a request's routing. */
export type ObservedRequest = Pick<RequestContext, 'host' | 'route' | 'target' | 'upstreamMs' | 'errorCode'>;

export interface ObserverOptions {
  logger: Logger;
  metrics: GatewayMetrics;
  accessLog: boolean;
}

export function createRequestObserver(options: ObserverOptions): RequestObserver {
  const { logger, metrics, accessLog } = options;
  const access = accessLog ? accessLogOf(logger) : undefined;
  const seriesCache = new HostSeriesCache(metrics);

  /** One request's metrics and access line; `observed` is undefined for requests that failed before routing. */
  const record = (
    raw: IncomingMessage,
    socket: CountedSocket | undefined,
    status: number,
    elapsedMs: number,
    reqId: string,
    observed: ObservedRequest | undefined,
    /** A cache hit; false a cacheable request the backend answered; undefined the cache had no part in it. */
    fromCache: boolean | undefined,
  ): void => {
    // Bound children per compiled host: no label hashing on the hot path.
    const series = seriesCache.of(observed?.host);
    series.requests(raw.method ?? '', status).inc();
    series.duration.observe(elapsedMs / 1000);
    const upstreamMs = observed?.upstreamMs ?? -1;
    if (upstreamMs >= 0) series.upstreamDuration.observe(upstreamMs / 1000);
    let bytesIn = 0;
    let bytesOut = 0;
    let peer: string | undefined;
    if (socket) {
      try {
        // Deltas since the previous response on this connection: head and body, as on the wire (HTTP/2: the
        // session's, shared out among its concurrent streams by when they end).
        const read = socket.bytesRead;
        const written = socket.bytesWritten;
        bytesIn = read - (socket[LAST_READ] ?? 0);
        bytesOut = written - (socket[LAST_WRITTEN] ?? 0);
        series.requestBytes.inc(bytesIn);
        series.responseBytes.inc(bytesOut);
        socket[LAST_READ] = read;
        socket[LAST_WRITTEN] = written;
        peer = socket.remoteAddress;
      } catch {
        // An HTTP/2 session already gone: its socket view throws (ERR_HTTP2_SOCKET_UNBOUND).
        bytesIn = 0;
        bytesOut = 0;
      }
    }
    if (observed?.host !== undefined)
      metrics.usage.count(observed.host, status, bytesOut, upstreamMs, fromCache);
    if (access === undefined) return;
    access({
      reqId,
      method: raw.method,
      host: raw.headers.host,
      url: raw.url,
      route: observed?.route?.path,
      target: observed?.target?.origin,
      status,
      bytesIn,
      bytesOut,
      ms: Math.round(elapsedMs * 100) / 100,
      upstreamMs: upstreamMs >= 0 ? Math.round(upstreamMs * 100) / 100 : undefined,
      error: observed?.errorCode,
      peer: peer ?? raw.socket?.remoteAddress,
      protocol: raw.httpVersionMajor === 2 ? 'h2' : undefined,
    });
  };
  /**
   * The access line and metrics of a request the listener counted, when its response closes: after it finished,
   * or cut short. A response that never started is the client leaving first (499, as nginx logs it); one cut
   * mid-body (the client left, or the backend broke off) keeps the status it was sent with and says so in `error`.
   */
  const recordClosed = (res: ServerResponse): void => {
    const raw = res.req as CountedRequest;
    const request = raw[EXCHANGE];
    const ctx = request?.gerbang as RequestContext | undefined;
    const complete = res.writableFinished;
    const started = res.headersSent;
    const status = started ? res.statusCode : CLIENT_CLOSED_STATUS;
    if (ctx !== undefined && !complete && ctx.errorCode === undefined)
      ctx.errorCode = started ? ACCESS_LOG_CODES.RESPONSE_INCOMPLETE : ACCESS_LOG_CODES.CLIENT_CLOSED_REQUEST;
    // Served from the cache: a cacheable route that never went upstream and that Gerbang did not answer itself;
    // a miss: a safe request on a cacheable route that did not (the traffic view's hit ratio).
    const fromCache =
      ctx?.cache === undefined || ctx.cache.unsafe
        ? undefined
        : ctx.upstreamStart === 0 && ctx.errorCode === undefined;
    const elapsedMs = performance.now() - (raw[ARRIVED_MS] ?? performance.now());
    // raw.socket is gone once Node closed a connection whose request body was left unread: kept at arrival.
    record(raw, raw[REQUEST_SOCKET], status, elapsedMs, request?.id ?? requestIdOf(raw), ctx, fromCache);
  };
  return {
    policyEvents: createPolicyEvents(logger, metrics),
    recordRawReply(req, status, startMs, reqId, observed) {
      // Only the fresh-hit front writes raw replies: each is a cache hit.
      record(req, req.socket as CountedSocket, status, performance.now() - startMs, reqId, observed, true);
    },
    onUpstreamError(request, reason, err) {
      const host = request?.gerbang?.host?.name ?? UNKNOWN_HOST;
      metrics.upstreamErrors.inc({ host, reason });
      const routed = request?.gerbang?.host;
      if (routed !== undefined) metrics.usage.upstreamFailure(routed);
      logger.warn({ reqId: request?.id, host, reason, err: (err as Error)?.message }, 'upstream error');
    },
    onInternalError(request, err) {
      logger.error({ reqId: request.id, err }, 'internal error on the request path');
    },
    observeListener(server, name) {
      const stats = metrics.listener(name);
      const connectionClosed = () => {
        stats.connections--;
      };
      server.on('connection', (socket: Socket) => {
        stats.connections++;
        socket.on('close', connectionClosed);
      });
      // One shared function per listener: a request adds a listener entry, never a new function.
      function responseClosed(this: ServerResponse): void {
        stats.inFlight--;
        recordClosed(this);
      }
      return (req, res) => {
        const counted = req as CountedRequest;
        // HTTP/2: the session's socket, whose counters outlive the stream (a stream's socket view loses them).
        counted[REQUEST_SOCKET] = (
          req.httpVersionMajor === 2 ? sessionSocketOf(req) : req.socket
        ) as CountedSocket;
        counted[ARRIVED_MS] = performance.now();
        stats.inFlight++;
        res.on('close', responseClosed);
      };
    },
  };
}
