/** The shared cache on the request path: lookup before a target is picked, and the proxy hooks that store, revalidate and fall back to stale. */

import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { sendOwnError } from '../pages/own-replies.js';
import { markRefused } from '../proxy/balancer.js';
import { type ProxiedResponse, sendUpstream } from '../proxy/direct-reply.js';
import { forward, type ProxyHooks } from '../proxy/forward.js';
import { classifyUpstreamError, type UpstreamFailure } from '../proxy/upstream-errors.js';
import type { UpstreamPools } from '../proxy/upstream-pools.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import { upstreamPath } from '../routing/router.js';
import type { CompiledRoute } from '../routing/snapshot.js';
import { type Refresher, refreshInBackground } from './background-refresh.js';
import { parseCacheControl } from './cache-control.js';
import { ageOf, type CacheEntry, refreshEntry, single } from './cache-entry.js';
import type { CacheExchange } from './cache-exchange.js';
import { BYPASS_STATUS, forwardStatus, hitStatus, staleStatus } from './cache-status.js';
import { decide, onlyIfCached, staleUsableOnError } from './reuse-decision.js';
import type { RouteCachePlan } from './route-plan.js';
import { CONDITIONALS, serveEntry } from './serve-entry.js';
import type { SharedCache } from './shared-cache.js';
import { teeIntoCache } from './tee-into-cache.js';

export interface CacheFlowOptions {
  cache: SharedCache;
  scheme: 'http' | 'https';
  /** The listener's ordinary proxy hooks: request headers, error replies and attempt bookkeeping are reused from them. */
  base: ProxyHooks;
  pools: UpstreamPools;
  onUpstreamError: (request: GatewayRequest, reason: UpstreamFailure, err: unknown) => void;
}

/** A Set-Cookie on the 304 (or HEAD) that refreshed a stored response is for this client: it gets it, the entry never does. */
function passOwnCookies(reply: GatewayReply, headers: IncomingHttpHeaders): void {
  const cookies = headers['set-cookie'];
  if (cookies !== undefined) reply.header('set-cookie', cookies);
}

/** Safe methods (RFC 9110 §9.2.1); any other method, known or not, invalidates on success (RFC 9111 §4.4). */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export class CacheFlow {
  readonly cache: SharedCache;
  readonly #scheme: string;
  readonly #base: ProxyHooks;
  readonly #pools: UpstreamPools;
  readonly #onUpstreamError: CacheFlowOptions['onUpstreamError'];
  readonly #hooks: ProxyHooks;
  readonly #refresher: Refresher;

  constructor(options: CacheFlowOptions) {
    this.cache = options.cache;
    this.#scheme = options.scheme;
    this.#base = options.base;
    this.#pools = options.pools;
    this.#onUpstreamError = options.onUpstreamError;
    const base = this.#base;
    this.#refresher = {
      cache: this.cache,
      pools: options.pools,
      requestHeaders: (request, headers, targetHost) => base.requestHeaders(request, headers, targetHost),
    };
    this.#hooks = {
      requestHeaders: (request, headers, targetHost) => this.#requestHeaders(request, headers, targetHost),
      onResponse: (request, reply, res) => this.#onResponse(request, reply, res),
      onError: (reply, err) => this.#onError(reply, err),
      settle: base.settle,
    };
  }

  /**
   * Takes the request when the cache has a say in it (GET, HEAD, and the unsafe methods that invalidate);
   * false leaves it to the ordinary proxy path.
   */
  intercept(
    request: GatewayRequest,
    reply: GatewayReply,
    plan: RouteCachePlan,
    hostName: string,
    url: string,
    path: string,
    q: number,
  ): boolean {
    const method = request.raw.method;
    const ctx = request.gerbang;
    if (method === 'GET' || method === 'HEAD') {
      const headers = request.raw.headers;
      // Request no-store (§5.2.1.5): nothing of this exchange is stored; the client asked past the cache, so it
      // is not answered from it either.
      const requestCc = headers['cache-control'];
      if (requestCc !== undefined && parseCacheControl(requestCc)['no-store'] !== undefined) {
        this.cache.count(ctx.host?.name ?? '', 'bypass');
        reply.header('cache-status', BYPASS_STATUS);
        return false;
      }
      const key = `${this.#scheme}://${hostName}${url}`;
      const ex: CacheExchange = {
        key,
        hostName,
        url,
        path,
        q,
        plan,
        unsafe: false,
        storing: method === 'GET' && headers.range === undefined,
        stale: undefined,
        revalidating: false,
        reason: 'uri-miss',
        flight: undefined,
        followed: false,
        requestTime: 0,
      };
      ctx.cache = ex;
      const { entry, uriKnown } = this.cache.find(key, headers);
      if (entry !== undefined) {
        this.#withEntry(request, reply, ex, entry);
        return true;
      }
      if (uriKnown) ex.reason = 'vary-miss';
      if (this.cache.redis?.ready) {
        this.cache.findShared(key, headers).then(
          (shared) => (shared ? this.#withEntry(request, reply, ex, shared) : this.#miss(request, reply, ex)),
          () => this.#miss(request, reply, ex),
        );
        return true;
      }
      this.#miss(request, reply, ex);
      return true;
    }
    const hostLabel = ctx.host?.name ?? '';
    this.cache.count(hostLabel, 'bypass');
    if (method === undefined || SAFE.has(method)) return false;
    ctx.cache = {
      key: '',
      hostName,
      url,
      path,
      q,
      plan,
      unsafe: true,
      storing: false,
      stale: undefined,
      revalidating: false,
      reason: 'bypass',
      flight: undefined,
      followed: true,
      requestTime: 0,
    };
    this.#forward(request, reply, ctx.cache);
    return true;
  }

  #withEntry(request: GatewayRequest, reply: GatewayReply, ex: CacheExchange, entry: CacheEntry): void {
    const now = Date.now();
    const headers = request.raw.headers;
    const decision = decide(entry, headers, now);
    const hostLabel = request.gerbang.host?.name ?? '';
    if (decision === 'revalidate') {
      ex.stale = entry;
      ex.revalidating = ex.storing && (entry.etag !== undefined || entry.lastModified !== undefined);
      ex.reason = ageOf(entry, now) < entry.lifetime ? 'request' : 'stale';
      this.#miss(request, reply, ex);
      return;
    }
    const ttl = entry.lifetime - ageOf(entry, now);
    this.cache.count(hostLabel, decision === 'fresh' ? 'hit' : 'stale');
    serveEntry(request, reply, entry, hitStatus(ttl), now);
    if (decision === 'swr') refreshInBackground(this.#refresher, request, ex, entry);
  }

  #miss(request: GatewayRequest, reply: GatewayReply, ex: CacheExchange): void {
    const headers = request.raw.headers;
    if (onlyIfCached(headers)) {
      sendOwnError(reply, 'GATEWAY_TIMEOUT');
      return;
    }
    if (ex.storing && !ex.followed) {
      ex.followed = true;
      const route = request.gerbang.route as CompiledRoute;
      const wait = this.cache.coalescer.wait(ex.key, route.timeouts.responseMs);
      if (wait !== undefined) {
        void wait.then(() => {
          const { entry } = this.cache.find(ex.key, headers);
          if (entry !== undefined) this.#withEntry(request, reply, ex, entry);
          else this.#forward(request, reply, ex);
        });
        return;
      }
      ex.flight = this.cache.coalescer.begin(ex.key);
    }
    this.#forward(request, reply, ex);
  }

  #forward(request: GatewayRequest, reply: GatewayReply, ex: CacheExchange): void {
    const ctx = request.gerbang;
    const route = ctx.route as CompiledRoute;
    const target = route.balancer.pick(performance.now());
    ctx.target = target;
    const sent = upstreamPath(route, ex.path);
    const q = ex.q < 0 ? -1 : sent.length;
    if (
      !forward(
        request,
        reply,
        this.#pools,
        target,
        ex.q < 0 ? sent : sent + ex.url.slice(ex.q),
        q,
        this.#hooks,
      )
    ) {
      ex.flight?.settle();
      sendOwnError(reply, 'BAD_REQUEST');
    }
  }

  #requestHeaders(
    request: GatewayRequest,
    headers: IncomingHttpHeaders,
    targetHost: string,
  ): IncomingHttpHeaders {
    const out = this.#base.requestHeaders(request, headers, targetHost);
    const ex = request.gerbang.cache;
    if (ex?.storing) {
      // The cache wants the full response to store; the client's own conditionals are answered from it.
      for (const name of CONDITIONALS) delete out[name];
      const stale = ex.stale;
      if (ex.revalidating && stale !== undefined) {
        if (stale.etag !== undefined) out['if-none-match'] = stale.etag;
        if (stale.lastModified !== undefined) out['if-modified-since'] = stale.lastModified;
      }
    }
    if (ex !== undefined) ex.requestTime = Date.now();
    return out;
  }

  #onResponse(request: GatewayRequest, reply: GatewayReply, res: ProxiedResponse): void {
    const ctx = request.gerbang;
    const ex = ctx.cache;
    if (ex === undefined) {
      sendUpstream(reply, res);
      return;
    }
    const status = res.statusCode;
    if (ex.unsafe) {
      if (status < 400) this.#invalidateAfterUnsafe(ex, res.headers);
      reply.header('cache-status', BYPASS_STATUS);
      sendUpstream(reply, res);
      return;
    }
    const hostLabel = ctx.host?.name ?? '';
    const now = Date.now();
    const stale = ex.stale;
    if (stale !== undefined) {
      if (status === 304 && ex.revalidating) {
        res.stream.resume();
        refreshEntry(stale, res.headers, ex.requestTime, now);
        this.cache.restored(stale, ex.plan.serveStaleOnErrorMs);
        ex.flight?.settle();
        this.cache.count(hostLabel, 'revalidated');
        passOwnCookies(reply, res.headers);
        serveEntry(request, reply, stale, staleStatus(304, stale.lifetime - ageOf(stale, now)), now);
        return;
      }
      if (status >= 500 && staleUsableOnError(stale, ex.plan, now)) {
        res.stream.resume();
        ex.flight?.settle();
        this.cache.count(hostLabel, 'stale');
        serveEntry(request, reply, stale, staleStatus(status, stale.lifetime - ageOf(stale, now)), now);
        return;
      }
    }
    if (
      stale !== undefined &&
      status === 200 &&
      request.raw.method === 'HEAD' &&
      this.#freshenFromHead(stale, ex, res.headers, now)
    ) {
      // The freshened stored response answers, so fields the HEAD response left out are still sent.
      res.stream.resume();
      this.cache.count(hostLabel, 'revalidated');
      passOwnCookies(reply, res.headers);
      serveEntry(request, reply, stale, staleStatus(200, stale.lifetime - ageOf(stale, now)), now);
      return;
    }
    this.cache.count(hostLabel, 'miss');
    if (ex.storing && teeIntoCache(this.cache, request, reply, ex, res, now)) return;
    ex.flight?.settle();
    reply.header('cache-status', forwardStatus(ex.reason, false));
    sendUpstream(reply, res);
  }

  #onError(reply: GatewayReply, error: Error): void {
    const request = reply.request;
    const ex = request.gerbang.cache;
    if (ex !== undefined && !ex.unsafe) {
      ex.flight?.settle();
      const hostLabel = request.gerbang.host?.name ?? '';
      const stale = ex.stale;
      const now = Date.now();
      if (stale !== undefined && staleUsableOnError(stale, ex.plan, now)) {
        const classified = classifyUpstreamError(error);
        const target = request.gerbang.target;
        if (classified.reason === 'refused' && target !== undefined) markRefused(target, performance.now());
        this.#onUpstreamError(request, classified.reason, error);
        this.cache.count(hostLabel, 'stale');
        serveEntry(
          request,
          reply,
          stale,
          staleStatus(undefined, stale.lifetime - ageOf(stale, now), classified.reason),
          now,
        );
        return;
      }
      this.cache.count(hostLabel, 'miss');
    }
    this.#base.onError(reply, error);
  }

  /**
   * RFC 9111 §4.3.5: a 200 to HEAD freshens the stored GET response when it describes the same representation
   * (same validators and length); when it does not, the stored one is outdated and is not reused unvalidated.
   */
  #freshenFromHead(stale: CacheEntry, ex: CacheExchange, headers: IncomingHttpHeaders, now: number): boolean {
    const etag = single(headers.etag);
    const lastModified = single(headers['last-modified']);
    const length = single(headers['content-length']);
    const storedLength = single(stale.headers['content-length']);
    const same =
      etag === stale.etag &&
      lastModified === stale.lastModified &&
      (length === undefined || storedLength === undefined || length === storedLength);
    if (same) {
      refreshEntry(stale, headers, ex.requestTime || now, now);
      this.cache.restored(stale, ex.plan.serveStaleOnErrorMs);
      return true;
    }
    stale.lifetime = 0;
    stale.swr = 0;
    return false;
  }

  /** RFC 9111 §4.4: a successful unsafe request invalidates its URL and the Location / Content-Location on the same host. */
  #invalidateAfterUnsafe(ex: CacheExchange, headers: IncomingHttpHeaders): void {
    const paths = [ex.url];
    for (const field of ['location', 'content-location'] as const) {
      const value = headers[field];
      if (typeof value !== 'string') continue;
      try {
        const target = new URL(value, `http://${ex.hostName}${ex.url}`);
        if (target.hostname === ex.hostName) paths.push(target.pathname + target.search);
      } catch {
        // not a URL: nothing to invalidate
      }
    }
    this.cache.invalidate(ex.hostName, paths);
  }
}
