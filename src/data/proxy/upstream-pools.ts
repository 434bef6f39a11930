/** Upstream connection pools (undici, keep-alive) keyed by target origin, shared by every route and kept across snapshots. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
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
import { UpstreamBody, type UpstreamReceiver } from './upstream-body.js';

/**
 * undici works out a TLS server name from every request's Host header (an IP test with a long regex, ~0.5 % of
 * a proxied request) and reads it only for https origins: a plain-http request gets this one instead.
 */
const PLAIN_HTTP_SERVERNAME = 'plain-http';

/** One request to a backend, as the proxied path, the cache and the background refresh hand it over. */
export interface UpstreamRequest {
  origin: string;
  /** Origin-form path and query, sent as it is. */
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  /** The client's body, streamed; absent for a request without one. */
  body?: Readable | undefined;
  /** The route's limits; absent = undici's own defaults (health checks). */
  timeouts?: RouteTimeouts | undefined;
  /** The client request this one is made for, whose address the per-client cap counts; absent = not counted. */
  client?: IncomingMessage | undefined;
}

type DispatchOptions = Dispatcher.DispatchOptions & { servername?: string; origin: string };

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
  /** By origin, then by connect timeout: a lookup builds no key string (it did on every request). */
  private readonly pools = new Map<string, Map<number, Pool>>();
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

  /** Sends `req` to its origin's pool; `receiver` is told of the response head or of the failure before one. */
  request(req: UpstreamRequest, receiver: UpstreamReceiver): void {
    const timeouts = req.timeouts;
    const options: DispatchOptions = {
      origin: req.origin,
      path: req.path,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers as Record<string, string | string[] | undefined>,
      body: req.body ?? null,
      headersTimeout: timeouts?.responseMs,
      bodyTimeout: timeouts?.idleMs,
    };
    if (req.origin.startsWith('http:')) options.servername = PLAIN_HTTP_SERVERNAME;
    const connectMs = timeouts?.connectMs ?? 0;
    const body = req.body;
    if (this.body === undefined || !isStream(body)) {
      this.dispatch(options, req.client, connectMs, receiver);
      return;
    }
    // The body reaches the backend no slower than the limits allow, and a connection is taken only once it has
    // shown it flows (its first part, or all of a small one, is in): a trickle never holds a backend connection.
    const guarded = new GuardedBody(body, this.body);
    options.body = guarded;
    guarded.prefetch((err) => {
      if (err === undefined) this.dispatch(options, req.client, connectMs, receiver);
      else receiver.upstreamResponded(err, undefined);
    });
  }

  private dispatch(
    options: DispatchOptions,
    client: IncomingMessage | undefined,
    connectMs: number,
    receiver: UpstreamReceiver,
  ): void {
    const handler = this.claim(options, client, new UpstreamBody(receiver));
    if (handler === undefined) {
      const err = clientFault(
        `client at its limit of requests in flight to ${options.origin}`,
        BACKEND_CLIENT_LIMIT_CODE,
      );
      if (options.body instanceof GuardedBody) options.body.destroy();
      queueMicrotask(() => receiver.upstreamResponded(err, undefined));
      return;
    }
    try {
      this.pool(options.origin, connectMs).dispatch(options, handler);
    } catch (err) {
      if (handler instanceof ReleasedExchange) handler.release();
      // undici refuses some options synchronously (an invalid header value): reported like any failure.
      queueMicrotask(() => receiver.upstreamResponded(err as Error, undefined));
    }
  }

  /** The handler that gives the client's slot back when the exchange ends; undefined when the client has none left. */
  private claim(
    options: DispatchOptions,
    client: IncomingMessage | undefined,
    handler: UpstreamBody,
  ): Dispatcher.DispatchHandler | undefined {
    const perClient = this.perClient;
    if (client === undefined || perClient === undefined) return handler;
    const address = requestClient(
      client.socket.remoteAddress,
      (options.headers as IncomingHttpHeaders)['x-forwarded-for'],
      this.isTrusted,
    );
    if (address === undefined) return handler;
    const key = `${options.origin} ${address}`;
    if (!perClient.tryAcquire(key)) return undefined;
    return new ReleasedExchange(handler, perClient, key);
  }

  private pool(origin: string, connectMs: number): Pool {
    let byTimeout = this.pools.get(origin);
    if (byTimeout === undefined) {
      byTimeout = new Map();
      this.pools.set(origin, byTimeout);
    }
    let pool = byTimeout.get(connectMs);
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
      byTimeout.set(connectMs, pool);
    }
    return pool;
  }

  /** Closes the pools of origins no route uses any more (after a snapshot swap). */
  retain(origins: ReadonlySet<string>): void {
    for (const [origin, byTimeout] of this.pools) {
      if (origins.has(origin)) continue;
      this.pools.delete(origin);
      for (const pool of byTimeout.values()) void pool.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const all = [...this.pools.values()].flatMap((byTimeout) => [...byTimeout.values()]);
    this.pools.clear();
    await Promise.all(all.map((p) => p.destroy().catch(() => undefined)));
  }
}
