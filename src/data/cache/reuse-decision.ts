/** Whether a stored response may answer a request: fresh, stale but allowed, to revalidate (RFC 9111 §4, §5.2, RFC 5861). */
import type { IncomingHttpHeaders } from 'node:http';
import { deltaSeconds, parseCacheControl } from './cache-control.js';
import { ageOf, type CacheEntry } from './cache-entry.js';
import type { RouteCachePlan } from './route-plan.js';

export type Decision = 'fresh' | 'stale-ok' | 'swr' | 'revalidate';

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

/** The client wants only what the cache holds (RFC 9111 §5.2.1.7). */
export function onlyIfCached(headers: IncomingHttpHeaders): boolean {
  const cc = headers['cache-control'];
  return cc !== undefined && parseCacheControl(cc)['only-if-cached'] !== undefined;
}
