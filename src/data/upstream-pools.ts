/** Upstream connection pools (undici, keep-alive) keyed by target origin, shared by every route and kept across snapshots. */
import { type Dispatcher, Pool } from 'undici';
import { DEFAULT_UPSTREAM_CONNECTIONS, DEFAULT_UPSTREAM_KEEPALIVE_MS } from '../config/defaults.js';
import type { TargetPolicy } from '../model/target-policy.js';
import { guardedConnector } from './guarded-connector.js';
import type { RouteTimeouts } from './snapshot.js';
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
}

/** Pools per (origin, connect timeout): the connect timeout is a property of the pool's connector. */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly connections: number;
  private readonly keepAliveMs: number;
  /** Also read by the upgrade proxy, which connects without undici. */
  readonly policy: TargetPolicy | undefined;

  constructor(options: UpstreamPoolsOptions = {}) {
    this.connections = options.connections ?? DEFAULT_UPSTREAM_CONNECTIONS;
    this.keepAliveMs = options.keepAliveMs ?? DEFAULT_UPSTREAM_KEEPALIVE_MS;
    this.policy = options.policy;
  }

  /** The `request` reply-from calls (it accepts any object with one), routed to the target's pool. */
  request(options: RequestOptions, callback: UpstreamCallback): void {
    const timeouts = options.headers[ROUTE_TIMEOUTS] as RouteTimeouts | undefined;
    delete options.headers[UPSTREAM_REQUEST];
    let connectMs = 0;
    if (timeouts !== undefined) {
      delete options.headers[ROUTE_TIMEOUTS];
      options.headersTimeout = timeouts.responseMs;
      options.bodyTimeout = timeouts.idleMs;
      connectMs = timeouts.connectMs;
    }
    if (options.origin.startsWith('http:')) options.servername = PLAIN_HTTP_SERVERNAME;
    try {
      this.pool(options.origin, connectMs).dispatch(options, new UpstreamBody(callback));
    } catch (err) {
      // undici refuses some options synchronously (an invalid header value): reported like any failure.
      queueMicrotask(() => callback(err as Error, undefined));
    }
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
