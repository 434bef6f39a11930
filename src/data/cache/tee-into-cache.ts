/** A miss whose response may be kept: streamed to the client while a copy is collected, stored when it is complete. */

import { pipeline, Transform } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProxiedResponse } from '../direct-reply.js';
import { freshnessOf, single, storedHeadersOf } from './cache-entry.js';
import type { CacheExchange } from './cache-exchange.js';
import { forwardStatus } from './cache-status.js';
import { clientNotModified, sendNotModified } from './serve-entry.js';
import type { SharedCache } from './shared-cache.js';
import { mayStore, varyNamesOf } from './storability.js';
import { maxObjectBytes, storeResponse } from './store-response.js';

/** Streams a storable response to the client while keeping a copy; false when it is not to be stored. */
export function teeIntoCache(
  cache: SharedCache,
  request: FastifyRequest,
  reply: FastifyReply,
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

  const chunks: Buffer[] = [];
  let bytes = 0;
  let over = false;
  const flight = ex.flight;
  const hostLabel = request.gerbang.host?.name ?? ex.hostName;
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
        storeResponse(cache, {
          ex,
          hostLabel,
          requestHeaders,
          status,
          headers,
          stored,
          varyNames,
          body: Buffer.concat(chunks, bytes),
          requestTime,
          responseTime: now,
        });
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
  // The upstream's headers are not on the reply (sendUpstream writes them itself): set them for send(). Gerbang's
  // own already there (HSTS) win, as in sendUpstream.
  for (const name in headers) if (!reply.hasHeader(name)) reply.header(name, headers[name]);
  reply.header('cache-status', cacheStatus);
  reply.send(collector);
  return true;
}
