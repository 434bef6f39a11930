/** Whether a shared cache may store a response (RFC 9111 §3), by http-cache-semantics plus the stricter rules a public gateway needs. */
import type { IncomingHttpHeaders } from 'node:http';
import CachePolicy from 'http-cache-semantics';
import { parseCacheControl } from './cache-control.js';

export interface StoreCheck {
  method: string;
  url: string;
  requestHeaders: IncomingHttpHeaders;
  status: number;
  responseHeaders: IncomingHttpHeaders;
}

/** Vary field names, lowercased; undefined when Vary contains `*` (nothing can match it). */
export function varyNamesOf(vary: string | string[] | undefined): string[] | undefined {
  if (vary === undefined) return [];
  const text = Array.isArray(vary) ? vary.join(',') : vary;
  const names: string[] = [];
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase();
    if (name === '') continue;
    if (name === '*') return undefined;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

export function mayStore(check: StoreCheck): boolean {
  if (check.method !== 'GET') return false;
  const res = check.responseHeaders;
  if (res['content-range'] !== undefined) return false;
  const vary = varyNamesOf(res.vary);
  if (vary === undefined) return false;
  const policy = new CachePolicy(
    { method: check.method, url: check.url, headers: check.requestHeaders as CachePolicy.Headers },
    { status: check.status, headers: res as CachePolicy.Headers },
    { shared: true },
  );
  if (!policy.storable()) return false;
  const cc = parseCacheControl(res['cache-control']);
  const explicitlyShared = cc.public === true || cc['s-maxage'] !== undefined;
  // Set-Cookie is one client's state: only an explicit `public` lets a shared cache hand it to others.
  if (res['set-cookie'] !== undefined && cc.public !== true) return false;
  // A cookie usually means a personalised page: stored only when the origin says it is shared or keys it by Cookie.
  if (check.requestHeaders.cookie !== undefined && !explicitlyShared && !vary.includes('cookie'))
    return false;
  return true;
}
