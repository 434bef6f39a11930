/** stale-while-revalidate's background request: the stored response is refreshed (304) or replaced, once per key. */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ProxyHooks } from '../proxy/forward.js';
import type { UpstreamPools } from '../proxy/upstream-pools.js';
import type { GatewayRequest } from '../routing/exchange.js';
import { upstreamPath } from '../routing/router.js';
import type { CompiledRoute } from '../routing/snapshot.js';
import { type CacheEntry, refreshEntry, storedHeadersOf } from './cache-entry.js';
import type { CacheExchange } from './cache-exchange.js';
import { CONDITIONALS } from './serve-entry.js';
import type { SharedCache } from './shared-cache.js';
import { mayStore, varyNamesOf } from './storability.js';
import { maxObjectBytes, storeResponse } from './store-response.js';

/** What a background refresh needs: the cache, the pools, and the listener's request headers. */
export interface Refresher {
  cache: SharedCache;
  pools: UpstreamPools;
  requestHeaders: ProxyHooks['requestHeaders'];
}

/** stale-while-revalidate: one conditional request per key in the background; the client already has its answer. */
export function refreshInBackground(
  refresher: Refresher,
  request: GatewayRequest,
  ex: CacheExchange,
  entry: CacheEntry,
): void {
  const { cache, pools } = refresher;
  if (cache.refreshing.has(ex.key)) return;
  cache.refreshing.add(ex.key);
  const done = (): void => {
    cache.refreshing.delete(ex.key);
  };
  const route = request.gerbang.route as CompiledRoute;
  const target = route.balancer.pick(performance.now());
  const headers: IncomingHttpHeaders = { ...request.raw.headers };
  for (const name of CONDITIONALS) delete headers[name];
  delete headers.range;
  const out = refresher.requestHeaders(
    request,
    headers,
    target.origin.slice(target.origin.indexOf('//') + 2),
  );
  if (entry.etag !== undefined) out['if-none-match'] = entry.etag;
  if (entry.lastModified !== undefined) out['if-modified-since'] = entry.lastModified;
  const requestTime = Date.now();
  const path = upstreamPath(route, ex.path) + (ex.q < 0 ? '' : ex.url.slice(ex.q));
  const requestHeaders = request.raw.headers;
  const hostLabel = request.gerbang.host?.name ?? ex.hostName;
  const maxBytes = maxObjectBytes(cache, ex);
  try {
    pools.request(
      { origin: target.origin, path, method: 'GET', headers: out, timeouts: route.timeouts },
      {
        upstreamResponded: (err, data) => {
          if (err !== null) return done();
          const body = data.stream;
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
            // Too big to keep after all: the upstream request is aborted (the error ends it).
            if (bytes > maxBytes) body.destroy();
            else chunks.push(chunk);
          });
          stream.on('error', done);
          stream.on('end', () => {
            storeResponse(cache, {
              ex,
              hostLabel,
              requestHeaders,
              status,
              headers: resHeaders,
              stored: storedHeadersOf(resHeaders),
              varyNames: varyNamesOf(resHeaders.vary) ?? [],
              body: Buffer.concat(chunks, bytes),
              requestTime,
              responseTime: now,
            });
            done();
          });
        },
      },
    );
  } catch {
    done();
  }
}
