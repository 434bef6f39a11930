/** Fresh memory hits answered on Node's raw request, before fastify builds a request and a reply: the commonest request a cache sees, at a fraction of the cost. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestObserver } from '../../observability/request-observer.js';
import type { CompressionMeter } from '../compression/compression-meter.js';
import { frontHead } from '../compression/serve-stored.js';
import { storedCoding, storedVariant } from '../compression/stored-variants.js';
import { policyHead } from '../policy/response-headers.js';
import { requestIdOf } from '../routing/request-id.js';
import type { RoutingFront } from '../routing/routing-front.js';
import { ageOf } from './cache-entry.js';
import { hitStatus } from './cache-status.js';
import { lengthOf } from './serve-entry.js';
import type { SharedCache } from './shared-cache.js';
import { type Head, pushStoredFields, storedFieldsUnder, writeStored } from './stored-reply.js';

const HSTS = 'strict-transport-security';

export interface FreshHitFrontOptions {
  scheme: 'http' | 'https';
  routing: RoutingFront;
  cache: SharedCache;
  observer: RequestObserver;
  /** Counts the bytes saved by compressed variants served here (compression/compression-meter.ts). */
  compression?: CompressionMeter | undefined;
  /** True once the listener is closing: fastify then answers what still arrives (503, Connection: close). */
  isClosing: () => boolean;
}

/** Answers the request and returns true, or returns false and leaves it to fastify. */
export type FreshHitFront = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Only the plainest case is taken: GET or HEAD on a caching route, no request directive, conditional or range,
 * a fresh 200 in the memory tier. Everything else — revalidation, 304s, ranges, the Redis tier, stale
 * answers — goes through the cache flow, which this front leaves untouched.
 */
export function createFreshHitFront(options: FreshHitFrontOptions): FreshHitFront {
  const { scheme, routing: routeOf, cache, observer, isClosing } = options;
  const isTls = scheme === 'https';
  return (req, res) => {
    const method = req.method;
    if ((method !== 'GET' && method !== 'HEAD') || isClosing()) return false;
    const startMs = performance.now();
    // Remembered on the request: the fastify handler reads the same answer if the front passes.
    const routing = routeOf(req);
    if (routing.kind !== 'route' || routing.route.cache === undefined) return false;
    const headers = req.headers;
    if (
      headers['cache-control'] !== undefined ||
      headers.pragma !== undefined ||
      headers.range !== undefined ||
      headers['if-none-match'] !== undefined ||
      headers['if-modified-since'] !== undefined
    )
      return false;
    const entry = cache.findInMemory(`${scheme}://${routing.hostName}${routing.url}`, headers);
    if (entry === undefined || entry.status !== 200) return false;
    const now = Date.now();
    const age = ageOf(entry, now);
    const ttl = entry.lifetime - age;
    if (ttl <= 0) return false;

    const host = routing.host;
    const hsts = isTls ? host.hsts : undefined;
    const stored = entry.headers;
    // The host's header policy, as on a proxied response; the head is built once per stored response and plan.
    const plan = routing.route.responseHeaders;
    let head: Head;
    let body = entry.body;
    // Compression at the edge: an encoded variant already stored is served as it is; one still to be made is
    // left to the cache flow, which compresses it once.
    const coding = storedCoding(routing.route.compression, method, headers, entry);
    if (coding !== undefined) {
      const encoded = coding === 'identity' ? null : storedVariant(entry, coding);
      if (encoded === undefined) return false;
      head = frontHead(
        entry,
        encoded === null ? 'identity' : coding,
        plan,
        hsts === undefined ? undefined : HSTS,
      );
      if (encoded !== null && coding !== 'identity') {
        options.compression?.sent(host.name, coding, body.length, encoded.length);
        body = encoded;
      }
    } else if (hsts !== undefined && stored[HSTS] !== undefined) {
      head = [];
      pushStoredFields(head, stored, undefined, HSTS);
      if (plan !== undefined) head = policyHead(plan, head);
    } else head = storedFieldsUnder(plan, stored).slice();
    const reqId = requestIdOf(req);
    head.push(
      'content-length',
      coding === undefined ? lengthOf(entry, method, body.length) : String(body.length),
      'age',
      String(Math.max(0, Math.floor(age))),
      'cache-status',
      hitStatus(ttl),
      'x-request-id',
      reqId,
    );
    if (hsts !== undefined) head.push(HSTS, hsts);
    cache.count(host.name, 'hit');
    writeStored(res, 200, head, body);
    // Recorded now, with what the socket took: a large body still being sent is the kernel's work, not Gerbang's.
    observer.recordRawReply(req, 200, startMs, reqId, {
      host,
      route: routing.route,
      target: undefined,
      upstreamMs: -1,
      errorCode: undefined,
    });
    return true;
  };
}
