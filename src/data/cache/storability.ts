/** Whether a shared cache may store a response (RFC 9111 §3), by http-cache-semantics plus the stricter rules a public gateway needs. */
import type { IncomingHttpHeaders } from 'node:http';
import CachePolicy from 'http-cache-semantics';
import { type Directives, fieldNames, formatCacheControl, parseCacheControl } from './cache-control.js';
import { sharedCacheDirectives } from './targeted-cache-control.js';

export interface StoreCheck {
  method: string;
  url: string;
  requestHeaders: IncomingHttpHeaders;
  status: number;
  responseHeaders: IncomingHttpHeaders;
}

/** Statuses http-cache-semantics knows the semantics of (its own list): what `must-understand` asks about. */
const UNDERSTOOD = new Set([200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 501]);

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

/** One string per field, as http-cache-semantics expects (it calls string methods on them). */
function flat(headers: IncomingHttpHeaders): CachePolicy.Headers {
  const out: CachePolicy.Headers = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function mayStore(check: StoreCheck): boolean {
  if (check.method !== 'GET') return false;
  const status = check.status;
  const res = check.responseHeaders;
  // Partial content is passed on, never stored or combined.
  if (status === 206 || status === 304 || status < 200) return false;
  const vary = varyNamesOf(res.vary);
  if (vary === undefined) return false;
  // A valid Gerbang-Cache-Control or CDN-Cache-Control replaces Cache-Control and Expires whole (RFC 9213 §2.2).
  const { cc, targeted } = sharedCacheDirectives(res);
  const understood = UNDERSTOOD.has(status);
  // must-understand (§5.2.2.3): a status the cache does not understand is not stored; one it does ignores no-store.
  if (cc['must-understand'] !== undefined && !understood) return false;
  const policyCc: Directives = { ...cc };
  if (cc['must-understand'] !== undefined) delete policyCc['no-store'];
  // A qualified private="f" (§5.2.2.7) lets a shared cache store the rest: storedHeadersOf drops the fields.
  if (typeof cc.private === 'string' && fieldNames(cc.private).length > 0) delete policyCc.private;
  const explicit =
    (!targeted && res.expires !== undefined) ||
    cc['max-age'] !== undefined ||
    cc['s-maxage'] !== undefined ||
    cc.public !== undefined;
  // http-cache-semantics stores only the statuses it lists; RFC 9111 §3 allows any final status with explicit
  // freshness, so an unlisted one is judged as a 200 and must carry explicit freshness (it has no heuristic).
  if (!understood && !explicit) return false;
  const responseHeaders = flat(res);
  // Our own strict, lowercased reading of Cache-Control, so `No-Store` or `PRIVATE` cannot slip past.
  const policyHeader = formatCacheControl(policyCc);
  if (policyHeader === '') delete responseHeaders['cache-control'];
  else responseHeaders['cache-control'] = policyHeader;
  if (targeted) delete responseHeaders.expires;
  const requestHeaders = flat(check.requestHeaders);
  const requestCc = requestHeaders['cache-control'];
  if (typeof requestCc === 'string')
    requestHeaders['cache-control'] = formatCacheControl(parseCacheControl(requestCc));
  const policy = new CachePolicy(
    { method: check.method, url: check.url, headers: requestHeaders },
    { status: understood ? status : 200, headers: responseHeaders },
    { shared: true },
  );
  if (!policy.storable()) return false;
  const explicitlyShared = cc.public === true || cc['s-maxage'] !== undefined;
  // Set-Cookie (and the obsolete Set-Cookie2) is one client's state, whatever the directives say: PHP's
  // `session.cache_limiter=public` sends `public` with a fresh session cookie. Such a response is not stored at
  // all (as nginx and Varnish do): its body may be as personal as its cookie (a CSRF token, a name).
  if (res['set-cookie'] !== undefined || res['set-cookie2'] !== undefined) return false;
  // A cookie usually means a personalised page: stored only when the origin says it is shared or keys it by Cookie.
  if (check.requestHeaders.cookie !== undefined && !explicitlyShared && !vary.includes('cookie'))
    return false;
  return true;
}
