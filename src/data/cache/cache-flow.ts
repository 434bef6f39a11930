/** The shared cache on the request path: lookup before a target is picked, and the reply-from hooks that store, revalidate and fall back to stale. */

import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { pipeline, Transform } from 'node:stream';
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { markRefused } from '../balancer.js';
import { type ProxiedResponse, sendUpstream } from '../direct-reply.js';
import { sendOwnError } from '../own-replies.js';
import { upstreamPath } from '../router.js';
import type { CompiledRoute } from '../snapshot.js';
import { classifyUpstreamError, type UpstreamFailure } from '../upstream-errors.js';
import type { UpstreamPools } from '../upstream-pools.js';
import { deltaSeconds, parseCacheControl } from './cache-control.js';
import {
  ageOf,
  type CacheEntry,
  freshnessOf,
  makeEntry,
  refreshEntry,
  type StoredHeaders,
  single,
  storedHeadersOf,
} from './cache-entry.js';
import { BYPASS_STATUS, type ForwardReason, forwardStatus, hitStatus, staleStatus } from './cache-status.js';
import type { Flight } from './coalescer.js';
import type { RouteCachePlan } from './route-plan.js';
import { clientNotModified, sendNotModified, serveEntry } from './serve-entry.js';
import { type SharedCache, varyValuesOf } from './shared-cache.js';
import { mayStore, varyNamesOf } from './storability.js';

/** Per-request cache state, kept on the request context between lookup and the reply-from hooks. */
export interface CacheExchange {
  readonly key: string;
  readonly hostName: string;
  /** Path and query as received. */
  readonly url: string;
  readonly path: string;
  /** Index of `?` in url, -1 without a query. */
  readonly q: number;
  readonly plan: RouteCachePlan;
  /** Any method not known to be safe (POST, PUT, DELETE, PATCH, extensions): forwarded, and a success invalidates. */
  readonly unsafe: boolean;
  /** A GET without Range: its response may be stored, and it takes part in coalescing. */
  readonly storing: boolean;
  /** The stored response being revalidated, also the fallback when the backend fails. */
  stale: CacheEntry | undefined;
  /** The upstream request carries our validators. */
  revalidating: boolean;
  reason: ForwardReason;
  flight: Flight | undefined;
  /** Waited for another request's flight already: never waits twice. */
  followed: boolean;
  requestTime: number;
}

type Decision = 'fresh' | 'stale-ok' | 'swr' | 'revalidate';

interface BaseHooks {
  rewriteRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders;
  rewriteHeaders(headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders;
  onError(reply: FastifyReply, error: { error: Error }): void;
}

export interface CacheFlowOptions {
  cache: SharedCache;
  scheme: 'http' | 'https';
  /** The listener's ordinary reply-from options: header rewriting and error replies are reused from them. */
  base: FastifyReplyFromHooks;
  pools: UpstreamPools;
  onUpstreamError: (request: FastifyRequest, reason: UpstreamFailure, err: unknown) => void;
}

/** Safe methods (RFC 9110 §9.2.1); any other method, known or not, invalidates on success (RFC 9111 §4.4). */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
const CONDITIONALS = ['if-none-match', 'if-modified-since', 'if-range', 'if-match', 'if-unmodified-since'];

/** What to do with a stored response for this request (RFC 9111 §4, §5.2.1, RFC 5861). */
export function decide(entry: CacheEntry, headers: IncomingHttpHeaders, now: number): Decision {
  const age = ageOf(entry, now);
  const fresh = age < entry.lifetime;
  const ccHeader = headers['cache-control'];
  if (ccHeader === undefined) {
    if (headers.pragma !== undefined && /no-cache/i.test(headers.pragma)) return 'revalidate';
    if (fresh) return 'fresh';
    return !entry.noStale && age < entry.lifetime + entry.swr ? 'swr' : 'revalidate';
  }
  const cc = parseCacheControl(ccHeader);
  if (cc['no-cache'] !== undefined) return 'revalidate';
  const maxAge = deltaSeconds(cc['max-age']);
  if (maxAge !== undefined && age > maxAge) return 'revalidate';
  const minFresh = deltaSeconds(cc['min-fresh']);
  if (minFresh !== undefined && entry.lifetime - age < minFresh) return 'revalidate';
  if (fresh) return 'fresh';
  if (entry.noStale) return 'revalidate';
  const maxStale = cc['max-stale'];
  if (maxStale === true) return 'stale-ok';
  const staleLimit = deltaSeconds(maxStale);
  if (staleLimit !== undefined && age - entry.lifetime <= staleLimit) return 'stale-ok';
  return age < entry.lifetime + entry.swr ? 'swr' : 'revalidate';
}

/** stale-if-error or the host's serveStaleOnError allow this entry in place of a failing backend (never against must-revalidate). */
export function staleUsableOnError(entry: CacheEntry, plan: RouteCachePlan, now: number): boolean {
  if (entry.noStale) return false;
  return ageOf(entry, now) - entry.lifetime <= Math.max(entry.sie, plan.serveStaleOnErrorMs / 1000);
}

function onlyIfCached(headers: IncomingHttpHeaders): boolean {
  const cc = headers['cache-control'];
  return cc !== undefined && parseCacheControl(cc)['only-if-cached'] !== undefined;
}

export class CacheFlow {
  readonly cache: SharedCache;
  readonly #scheme: string;
  readonly #base: BaseHooks;
  readonly #pools: UpstreamPools;
  readonly #onUpstreamError: CacheFlowOptions['onUpstreamError'];
  readonly #hooks: FastifyReplyFromHooks;

  constructor(options: CacheFlowOptions) {
    this.cache = options.cache;
    this.#scheme = options.scheme;
    this.#base = options.base as unknown as BaseHooks;
    this.#pools = options.pools;
    this.#onUpstreamError = options.onUpstreamError;
    const base = this.#base;
    this.#hooks = {
      ...(options.base as object),
      rewriteRequestHeaders: (request: FastifyRequest, headers: IncomingHttpHeaders) =>
        this.#rewriteRequestHeaders(request, headers),
      rewriteHeaders: (headers: IncomingHttpHeaders, request: FastifyRequest) =>
        base.rewriteHeaders(headers, request),
      onResponse: (request: FastifyRequest, reply: FastifyReply, res: ProxiedResponse) =>
        this.#onResponse(request, reply, res),
      onError: (reply: FastifyReply, error: { error: Error }) => this.#onError(reply, error),
    } as unknown as FastifyReplyFromHooks;
  }

  /**
   * Takes the request when the cache has a say in it (GET, HEAD, and the unsafe methods that invalidate);
   * false leaves it to the ordinary proxy path.
   */
  intercept(
    request: FastifyRequest,
    reply: FastifyReply,
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

  #withEntry(request: FastifyRequest, reply: FastifyReply, ex: CacheExchange, entry: CacheEntry): void {
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
    if (decision === 'swr') this.#refreshInBackground(request, ex, entry);
  }

  #miss(request: FastifyRequest, reply: FastifyReply, ex: CacheExchange): void {
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

  #forward(request: FastifyRequest, reply: FastifyReply, ex: CacheExchange): void {
    const ctx = request.gerbang;
    const route = ctx.route as CompiledRoute;
    const target = route.balancer.pick(performance.now());
    ctx.target = target;
    const source = target.origin + upstreamPath(route, ex.path) + (ex.q < 0 ? '' : ex.url.slice(ex.q));
    try {
      reply.from(source, this.#hooks);
    } catch {
      ex.flight?.settle();
      sendOwnError(reply, 'BAD_REQUEST');
    }
  }

  #rewriteRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
    const out = this.#base.rewriteRequestHeaders(request, headers);
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

  #onResponse(request: FastifyRequest, reply: FastifyReply, res: ProxiedResponse): void {
    const ctx = request.gerbang;
    ctx.upstreamMs = performance.now() - ctx.upstreamStart;
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
      serveEntry(request, reply, stale, staleStatus(200, stale.lifetime - ageOf(stale, now)), now);
      return;
    }
    this.cache.count(hostLabel, 'miss');
    if (ex.storing && this.#tee(request, reply, ex, res, now)) return;
    ex.flight?.settle();
    reply.header('cache-status', forwardStatus(ex.reason, false));
    sendUpstream(reply, res);
  }

  /** Streams a storable response to the client while keeping a copy; false when it is not to be stored. */
  #tee(
    request: FastifyRequest,
    reply: FastifyReply,
    ex: CacheExchange,
    res: ProxiedResponse,
    now: number,
  ): boolean {
    const maxBytes = ex.plan.maxObjectBytes ?? this.cache.config.maxObjectBytes;
    const headers = res.headers;
    const length = headers['content-length'];
    if (length !== undefined && Number(length) > maxBytes) return false;
    const requestHeaders = request.raw.headers;
    const status = res.statusCode;
    if (!mayStore({ method: 'GET', url: ex.url, requestHeaders, status, responseHeaders: headers }))
      return false;
    const varyNames = varyNamesOf(headers.vary) ?? [];
    const stored = storedHeadersOf(headers);
    const requestTime = ex.requestTime || now;
    const f = freshnessOf(status, stored, headers.age, requestTime, now);
    const worthKeeping =
      f.lifetime > f.initialAge ||
      stored.etag !== undefined ||
      stored['last-modified'] !== undefined ||
      (!f.noStale && (f.swr > 0 || f.sie > 0 || ex.plan.serveStaleOnErrorMs > 0));
    if (!worthKeeping) return false;

    const chunks: Buffer[] = [];
    let bytes = 0;
    let over = false;
    const cache = this.cache;
    const flight = ex.flight;
    const hostLabel = request.gerbang.host?.name ?? ex.hostName;
    const varyValues = varyValuesOf(requestHeaders, varyNames);
    const collector = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        if (!over) {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            over = true;
            chunks.length = 0;
          } else chunks.push(chunk);
        }
        callback(null, chunk);
      },
      flush(callback) {
        // A body shorter than announced was cut off: never stored.
        if (!over && (length === undefined || Number(length) === bytes)) {
          cache.store(
            makeEntry({
              key: ex.key,
              hostName: ex.hostName,
              hostLabel,
              url: ex.url,
              status,
              headers: stored,
              ageHeader: headers.age,
              body: Buffer.concat(chunks, bytes),
              varyNames,
              varyValues,
              requestTime,
              responseTime: now,
            }),
            ex.plan.serveStaleOnErrorMs,
          );
        }
        flight?.settle();
        callback();
      },
    });
    pipeline(res.stream.readable(), collector, () => flight?.settle());
    const cacheStatus = forwardStatus(ex.reason, true);
    if (
      status === 200 &&
      clientNotModified(requestHeaders, single(stored.etag), single(stored['last-modified']))
    ) {
      // The client already has it: it gets a 304 while the body still flows into the cache.
      collector.resume();
      sendNotModified(request, reply, stored, cacheStatus, undefined);
      return true;
    }
    // The upstream's headers are not on the reply (sendUpstream writes them itself): set them for send().
    reply.headers(headers);
    reply.header('cache-status', cacheStatus);
    reply.send(collector);
    return true;
  }

  #onError(reply: FastifyReply, { error }: { error: Error }): void {
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
    this.#base.onError(reply, { error });
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

  /** stale-while-revalidate: one conditional request per key in the background; the client already has its answer. */
  #refreshInBackground(request: FastifyRequest, ex: CacheExchange, entry: CacheEntry): void {
    const cache = this.cache;
    if (cache.refreshing.has(ex.key)) return;
    cache.refreshing.add(ex.key);
    const done = (): void => {
      cache.refreshing.delete(ex.key);
    };
    const route = request.gerbang.route as CompiledRoute;
    const target = route.balancer.pick(performance.now());
    const headers: IncomingHttpHeaders = { ...request.raw.headers };
    headers.host = target.origin.slice(target.origin.indexOf('//') + 2);
    for (const name of CONDITIONALS) delete headers[name];
    delete headers.range;
    const out = this.#base.rewriteRequestHeaders(request, headers);
    if (entry.etag !== undefined) out['if-none-match'] = entry.etag;
    if (entry.lastModified !== undefined) out['if-modified-since'] = entry.lastModified;
    const requestTime = Date.now();
    const path = upstreamPath(route, ex.path) + (ex.q < 0 ? '' : ex.url.slice(ex.q));
    const requestHeaders = request.raw.headers;
    const hostLabel = request.gerbang.host?.name ?? ex.hostName;
    const maxBytes = ex.plan.maxObjectBytes ?? cache.config.maxObjectBytes;
    try {
      this.#pools.request(
        { origin: target.origin, path, method: 'GET', headers: out } as unknown as Parameters<
          UpstreamPools['request']
        >[0],
        (err, data) => {
          if (err !== null) return done();
          if (data === undefined) return done();
          const body = data.body;
          const now = Date.now();
          const resHeaders = data.headers as IncomingHttpHeaders;
          if (data.statusCode === 304) {
            body.resume();
            refreshEntry(entry, resHeaders, requestTime, now);
            cache.restored(entry, ex.plan.serveStaleOnErrorMs);
            return done();
          }
          const status = data.statusCode;
          const length = resHeaders['content-length'];
          if (
            (length !== undefined && Number(length) > maxBytes) ||
            !mayStore({ method: 'GET', url: ex.url, requestHeaders, status, responseHeaders: resHeaders })
          ) {
            body.resume();
            return done();
          }
          const chunks: Buffer[] = [];
          let bytes = 0;
          const stream = body.readable();
          stream.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > maxBytes) stream.destroy();
            else chunks.push(chunk);
          });
          stream.on('error', done);
          stream.on('end', () => {
            const varyNames = varyNamesOf(resHeaders.vary) ?? [];
            cache.store(
              makeEntry({
                key: ex.key,
                hostName: ex.hostName,
                hostLabel,
                url: ex.url,
                status,
                headers: storedHeadersOf(resHeaders) as StoredHeaders,
                ageHeader: resHeaders.age,
                body: Buffer.concat(chunks, bytes),
                varyNames,
                varyValues: varyValuesOf(requestHeaders, varyNames),
                requestTime,
                responseTime: now,
              }),
              ex.plan.serveStaleOnErrorMs,
            );
            done();
          });
        },
      );
    } catch {
      done();
    }
  }
}
