/** Upstream connection pools (undici, keep-alive) keyed by target origin, shared by every route and kept across snapshots. */
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { type Dispatcher, Pool } from 'undici';
import { DEFAULT_UPSTREAM_CONNECTIONS, DEFAULT_UPSTREAM_KEEPALIVE_MS } from '../../config/defaults.js';
import type { GatewayConfig } from '../../config/schema.js';
import type { TargetPolicy } from '../../model/target-policy.js';
import { BACKEND_CLIENT_LIMIT_CODE, clientFault } from '../limits/client-fault.js';
import { requestClient } from '../limits/client-key.js';
import { KeyCounter } from '../limits/key-counter.js';
import { ReleasedExchange } from '../limits/released-exchange.js';
import { type BodyLimits, GuardedBody } from '../limits/request-body-guard.js';
import type { RouteTimeouts } from '../routing/snapshot.js';
import { compileTrustedProxies, type TrustCheck } from '../routing/trusted-proxies.js';
import { guardedConnector } from './guarded-connector.js';
import { UpstreamBody, type UpstreamCallback } from './upstream-body.js';

/**
 * reply-from copies the request headers we return into the undici request, symbol keys included;
 * a route's timeouts ride along under this key so one shared dispatcher can honour per-route limits.
 */
export const ROUTE_TIMEOUTS = Symbol('gerbang.routeTimeouts');
/** The client request an upstream attempt belongs to, for the retry and health bookkeeping; never sent. */
export const UPSTREAM_REQUEST = Symbol('gerbang.upstreamRequest');

/**
 * undici works out a TLS server name from every request's Host header (an IP test with a long regex, ~0.5 % of
 * a proxied request) and reads it only for https origins: a plain-http request gets this one instead.
 */
const PLAIN_HTTP_SERVERNAME = 'plain-http';

type RequestOptions = Dispatcher.DispatchOptions & {
  servername?: string;
  origin: string;
  headers: Record<string | symbol, unknown>;
};

export interface UpstreamPoolsOptions {
  connections?: number;
  keepAliveMs?: number;
  /** SSRF policy applied on every new connection (a name may resolve elsewhere than when it was registered). */
  policy?: TargetPolicy | undefined;
  /** Requests one client address may have in flight to one target; absent = no cap (health checks). */
  maxRequestsPerClient?: number | undefined;
  /** Bounds on a client's request body while it is sent upstream; absent = unbounded (health checks). */
  body?: BodyLimits | undefined;
  /** Peers whose X-Forwarded-For names the client the cap counts (trusted proxies). */
  isTrusted?: TrustCheck | undefined;
}

/** The options of the pools client requests go through: the `limits` of the static config and the trusted proxies. */
export function clientPoolOptions(config: GatewayConfig): UpstreamPoolsOptions {
  const limits = config.limits;
  return {
    connections: limits.backendConnections,
    maxRequestsPerClient: limits.maxBackendRequestsPerClient,
    body: {
      idleTimeoutMs: limits.requestBodyIdleTimeoutMs,
      minBytesPerS: limits.requestBodyMinBytesPerS,
      graceMs: limits.requestBodyGraceMs,
    },
    isTrusted: compileTrustedProxies(config.trustedProxies),
  };
}

function isStream(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
}

/** Pools per (origin, connect timeout): the connect timeout is a property of the pool's connector. */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly connections: number;
  private readonly keepAliveMs: number;
  /** Also read by the upgrade proxy, which connects without undici. */
  readonly policy: TargetPolicy | undefined;
  /** In-flight requests per (target origin, client): no address can take every connection of a backend. */
  private readonly perClient: KeyCounter | undefined;
  private readonly body: BodyLimits | undefined;
  private readonly isTrusted: TrustCheck;

  constructor(options: UpstreamPoolsOptions = {}) {
    this.connections = options.connections ?? DEFAULT_UPSTREAM_CONNECTIONS;
    this.keepAliveMs = options.keepAliveMs ?? DEFAULT_UPSTREAM_KEEPALIVE_MS;
    this.policy = options.policy;
    this.perClient =
      options.maxRequestsPerClient === undefined ? undefined : new KeyCounter(options.maxRequestsPerClient);
    this.body = options.body;
    this.isTrusted = options.isTrusted ?? (() => false);
  }

  /** The `request` reply-from calls (it accepts any object with one), routed to the target's pool. */
  request(options: RequestOptions, callback: UpstreamCallback): void {
    const timeouts = options.headers[ROUTE_TIMEOUTS] as RouteTimeouts | undefined;
    const client = options.headers[UPSTREAM_REQUEST] as FastifyRequest | undefined;
    delete options.headers[UPSTREAM_REQUEST];
    let connectMs = 0;
    if (timeouts !== undefined) {
      delete options.headers[ROUTE_TIMEOUTS];
      options.headersTimeout = timeouts.responseMs;
      options.bodyTimeout = timeouts.idleMs;
      connectMs = timeouts.connectMs;
    }
    if (options.origin.startsWith('http:')) options.servername = PLAIN_HTTP_SERVERNAME;
    const body = options.body;
    if (this.body === undefined || !isStream(body)) {
      this.dispatch(options, client, connectMs, callback);
      return;
    }
    // The body reaches the backend no slower than the limits allow, and a connection is taken only once it has
    // shown it flows (its first part, or all of a small one, is in): a trickle never holds a backend connection.
    const guarded = new GuardedBody(body, this.body);
    options.body = guarded;
    guarded.prefetch((err) => {
      if (err === undefined) this.dispatch(options, client, connectMs, callback);
      else callback(err, undefined);
    });
  }

  private dispatch(
    options: RequestOptions,
    client: FastifyRequest | undefined,
    connectMs: number,
    callback: UpstreamCallback,
  ): void {
    const handler = this.claim(options, client, new UpstreamBody(callback));
    if (handler === undefined) {
      const err = clientFault(
        `client at its limit of requests in flight to ${options.origin}`,
        BACKEND_CLIENT_LIMIT_CODE,
      );
      if (options.body instanceof GuardedBody) options.body.destroy();
      queueMicrotask(() => callback(err, undefined));
      return;
    }
    try {
      this.pool(options.origin, connectMs).dispatch(options, handler);
    } catch (err) {
      if (handler instanceof ReleasedExchange) handler.release();
      // undici refuses some options synchronously (an invalid header value): reported like any failure.
      queueMicrotask(() => callback(err as Error, undefined));
    }
  }

  /** The handler that gives the client's slot back when the exchange ends; undefined when the client has none left. */
  private claim(
    options: RequestOptions,
    client: FastifyRequest | undefined,
    handler: UpstreamBody,
  ): Dispatcher.DispatchHandler | undefined {
    const perClient = this.perClient;
    if (client === undefined || perClient === undefined) return handler;
    const address = requestClient(
      client.raw.socket.remoteAddress,
      options.headers['x-forwarded-for'],
      this.isTrusted,
    );
    if (address === undefined) return handler;
    const key = `${options.origin} ${address}`;
    if (!perClient.tryAcquire(key)) return undefined;
    return new ReleasedExchange(handler, perClient, key);
  }

  private pool(origin: string, connectMs: number): Pool {
    const key = connectMs === 0 ? origin : `${origin}#${connectMs}`;
    let pool = this.pools.get(key);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.connections,
        pipelining: 1,
        keepAliveTimeout: this.keepAliveMs,
        connect: this.policy
          ? guardedConnector(this.policy, connectMs > 0 ? { timeout: connectMs } : {})
          : connectMs > 0
            ? { timeout: connectMs }
            : {},
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes the pools of origins no route uses any more (after a snapshot swap). */
  retain(origins: ReadonlySet<string>): void {
    for (const [key, pool] of this.pools) {
      const origin = key.split('#', 1)[0] as string;
      if (!origins.has(origin)) {
        this.pools.delete(key);
        void pool.close().catch(() => undefined);
      }
    }
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}
