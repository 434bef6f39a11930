/** A miss whose response may be kept: the body is collected for the cache at the upstream's pace and handed to the client at the client's (cache-fill.ts). */

import type { OutgoingHttpHeaders } from 'node:http';
import type { Writable } from 'node:stream';
import { compressResponse, representationFields } from '../compression/compress-response.js';
import { applyResponseHeaders } from '../policy/response-headers.js';
import type { ProxiedResponse } from '../proxy/direct-reply.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import type { CompiledRoute } from '../routing/snapshot.js';
import { freshnessOf, single, storedHeadersOf } from './cache-entry.js';
import type { CacheExchange } from './cache-exchange.js';
import { CacheFill } from './cache-fill.js';
import { forwardStatus } from './cache-status.js';
import { clientNotModified, sendNotModified } from './serve-entry.js';
import type { SharedCache } from './shared-cache.js';
import { mayStore, varyNamesOf } from './storability.js';
import { maxObjectBytes, storeResponse } from './store-response.js';
import { dropOwnTargetedField } from './targeted-cache-control.js';

/** Streams a storable response to the client while keeping a copy; false when it is not to be stored. */
export function teeIntoCache(
  cache: SharedCache,
  request: GatewayRequest,
  reply: GatewayReply,
  ex: CacheExchange,
  res: ProxiedResponse,
  now: number,
): boolean {
  const maxBytes = maxObjectBytes(cache, ex);
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

  const flight = ex.flight;
  const hostLabel = request.gerbang.host?.name ?? ex.hostName;
  const route = request.gerbang.route as CompiledRoute;
  const cacheStatus = forwardStatus(ex.reason, true);
  // Compression at the edge: the client's copy may be the compressed representation, with its own ETag.
  const rep = representationFields(request, status, headers);
  const etag = rep === undefined ? single(stored.etag) : rep.etag;
  const notModified =
    status === 200 && clientNotModified(requestHeaders, etag, single(stored['last-modified']));
  let client: Writable | undefined;
  if (notModified) {
    // The client already has it: it gets a 304 while the body flows into the cache only.
    const fields = rep === undefined ? stored : { ...stored, vary: rep.vary, ...(etag ? { etag } : {}) };
    sendNotModified(request, reply, fields, cacheStatus, undefined);
  } else {
    // Something already answered the client: nothing to store or send.
    if (reply.sent) {
      res.stream.destroy();
      flight?.settle();
      return true;
    }
    // As in sendUpstream: the upstream's head on the raw response, Gerbang's own fields (HSTS) winning.
    const out = headers as OutgoingHttpHeaders;
    dropOwnTargetedField(out);
    // After `stored` was taken: the cache keeps the backend's fields, the policy applies on the way out.
    applyResponseHeaders(route.responseHeaders, out);
    const own = reply.getHeaders();
    for (const name in own) out[name] = own[name] as OutgoingHttpHeaders[string];
    out['cache-status'] = cacheStatus;
    reply.hijack();
    const raw = reply.raw;
    client = compressResponse(reply, reply.statusCode, out, raw);
    raw.writeHead(reply.statusCode, out);
  }
  const fill = new CacheFill({
    upstream: res.stream,
    client,
    clientRequest: request.raw,
    maxBytes,
    budget: cache.readAhead,
    announced: length === undefined ? undefined : Number(length),
    idleMs: route.timeouts.idleMs,
    onComplete: (body) =>
      storeResponse(cache, {
        ex,
        hostLabel,
        requestHeaders,
        status,
        headers,
        stored,
        varyNames,
        body,
        requestTime,
        responseTime: now,
      }),
    onSettled: () => flight?.settle(),
  });
  res.stream.pipe(fill);
  return true;
}
