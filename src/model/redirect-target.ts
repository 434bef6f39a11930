/** Where a redirect's `to` points and how the request's path is carried there: one reading for the data plane and the loop check. */
import { GerbangError } from '../errors.js';
import { isDnsName } from './host-name.js';

export interface RedirectTarget {
  /** Undefined: the scheme of the request. */
  readonly scheme: 'http' | 'https' | undefined;
  /** Undefined: the same host (a prefix rule's `/path`). */
  readonly host: string | undefined;
  /** Starts with `/`. */
  readonly path: string;
}

/** Reads `https://host/path`, `host/path` or (when `samehost` is allowed) `/path`; throws naming the field. */
export function parseRedirectTarget(to: string, field: string, sameHost: boolean): RedirectTarget {
  if (to.startsWith('/')) {
    if (!sameHost || to.startsWith('//'))
      throw new GerbangError('VALIDATION_FAILED', `${field}: "${to}" must name a host (https://host/path)`);
    return { scheme: undefined, host: undefined, path: to };
  }
  let rest = to;
  let scheme: 'http' | 'https' | undefined;
  const lower = to.toLowerCase();
  if (lower.startsWith('https://')) {
    scheme = 'https';
    rest = to.slice(8);
  } else if (lower.startsWith('http://')) {
    scheme = 'http';
    rest = to.slice(7);
  } else if (lower.includes('://')) {
    throw new GerbangError('VALIDATION_FAILED', `${field}: only http:// and https:// targets`);
  }
  const slash = rest.indexOf('/');
  let host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (!isDnsName(host))
    throw new GerbangError('VALIDATION_FAILED', `${field}: "${to}" does not name a host (no port, no user)`);
  return { scheme, host, path: slash < 0 ? '/' : rest.slice(slash) };
}

/** `base` with the rest of a request path (`''` or `/...`) appended on a segment boundary. */
export function joinPath(base: string, rest: string): string {
  if (rest === '' || rest === '/') return rest === '/' && !base.endsWith('/') ? `${base}/` : base;
  if (base === '/' || base === '') return rest;
  return (base.endsWith('/') ? base.slice(0, -1) : base) + rest;
}

/** What remains of `path` below the matched `prefix` (normalised, no trailing slash but the root). */
export function restBelow(prefix: string, path: string): string {
  return prefix === '/' ? path : path.slice(prefix.length);
}
