/** The answer when no target of a route may take traffic: the cache's stored page if the host allows stale on error, else a branded 503. */
import { ageOf } from '../cache/cache-entry.js';
import type { CacheFlow } from '../cache/cache-flow.js';
import { hitStatus, staleStatus } from '../cache/cache-status.js';
import { staleUsableOnError } from '../cache/reuse-decision.js';
import type { RouteCachePlan } from '../cache/route-plan.js';
import { serveEntry } from '../cache/serve-entry.js';
import { sendOwnError } from '../pages/own-replies.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';

/** Cache-Status detail when a stored page stands in because every target is out (RFC 9211 allows any token). */
const DETAIL = 'no-healthy-target';

/**
 * Serves from the memory tier without asking any backend: a fresh entry as a hit, a stale one when
 * stale-if-error or the host's serveStaleOnError allow it. False when there is nothing to serve.
 * The key is the cache flow's own (`scheme://host/url`); only the memory tier answers synchronously.
 */
export function serveStoredInstead(
  request: GatewayRequest,
  reply: GatewayReply,
  cacheFlow: CacheFlow,
  plan: RouteCachePlan,
  key: string,
): boolean {
  const method = request.raw.method;
  if (method !== 'GET' && method !== 'HEAD') return false;
  const { entry } = cacheFlow.cache.find(key, request.raw.headers);
  if (entry === undefined) return false;
  const now = Date.now();
  const ttl = entry.lifetime - ageOf(entry, now);
  const hostLabel = request.gerbang.host?.name ?? '';
  if (ttl > 0) {
    cacheFlow.cache.count(hostLabel, 'hit');
    serveEntry(request, reply, entry, hitStatus(ttl), now);
    return true;
  }
  if (!staleUsableOnError(entry, plan, now)) return false;
  cacheFlow.cache.count(hostLabel, 'stale');
  serveEntry(request, reply, entry, staleStatus(undefined, ttl, DETAIL), now);
  return true;
}

export function answerNoHealthyTarget(
  request: GatewayRequest,
  reply: GatewayReply,
  cacheFlow: CacheFlow | undefined,
  plan: RouteCachePlan | undefined,
  key: string,
): void {
  if (
    cacheFlow !== undefined &&
    plan !== undefined &&
    serveStoredInstead(request, reply, cacheFlow, plan, key)
  )
    return;
  sendOwnError(reply, 'UPSTREAM_UNAVAILABLE');
}
