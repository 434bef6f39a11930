/** Redirects answered at the edge from the snapshot: a redirect-only host, prefix rules, and aliases that send to their host. */
import { DEFAULT_REDIRECT_STATUS } from '../../config/defaults.js';
import type { HostRedirect, PrefixRedirect, RedirectStatusCode } from '../../model/redirect-schema.js';
import {
  joinPath,
  parseRedirectTarget,
  type RedirectTarget,
  restBelow,
} from '../../model/redirect-target.js';
import { normalizeRoutePath, pathHasPrefix } from './router.js';

export interface CompiledRedirect {
  readonly status: RedirectStatusCode;
  readonly target: RedirectTarget;
  /** Host redirects only: false = every path goes to `to` as written (the query is still kept). */
  readonly keepPath: boolean;
}

export interface CompiledPrefixRedirect extends CompiledRedirect {
  readonly prefix: string;
}

export function compileHostRedirect(spec: HostRedirect | undefined): CompiledRedirect | undefined {
  if (spec === undefined) return undefined;
  return {
    status: spec.status ?? DEFAULT_REDIRECT_STATUS,
    target: parseRedirectTarget(spec.to, '/redirect/to', false),
    keepPath: spec.keepPath ?? true,
  };
}

/** Longest prefix first, as routes are. */
export function compilePrefixRedirects(
  specs: readonly PrefixRedirect[] | undefined,
): CompiledPrefixRedirect[] {
  if (specs === undefined || specs.length === 0) return [];
  return specs
    .map((spec, i) => ({
      prefix: normalizeRoutePath(spec.prefix),
      status: spec.status ?? DEFAULT_REDIRECT_STATUS,
      target: parseRedirectTarget(spec.to, `/redirects/${i}/to`, true),
      keepPath: true,
    }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
}

/** An alias that answers with its host's URL: the path and query kept. */
export function aliasRedirect(canonical: string, status: 301 | 308): CompiledRedirect {
  return { status, target: { scheme: undefined, host: canonical, path: '/' }, keepPath: true };
}

export function findPrefixRedirect(
  rules: readonly CompiledPrefixRedirect[],
  path: string,
): CompiledPrefixRedirect | undefined {
  for (const rule of rules) if (pathHasPrefix(path, rule.prefix)) return rule;
  return undefined;
}

/** How a Location names a host on a scheme: the public port when it is not the scheme's default. */
export type LocationAuthority = (scheme: 'http' | 'https', host: string) => string;

/**
 * The Location of a redirect for a request (`path` normalised, `url` its origin-form with the query at `q`).
 * The scheme of the request is kept unless `to` names one.
 */
export function redirectLocation(
  redirect: CompiledRedirect,
  prefix: string | undefined,
  scheme: 'http' | 'https',
  hostName: string,
  path: string,
  url: string,
  q: number,
  authority: LocationAuthority,
): string {
  const target = redirect.target;
  const toScheme = target.scheme ?? scheme;
  const rest = prefix !== undefined ? restBelow(prefix, path) : redirect.keepPath ? path : '';
  const query = q < 0 ? '' : url.slice(q);
  return `${toScheme}://${authority(toScheme, target.host ?? hostName)}${joinPath(target.path, rest)}${query}`;
}

/** Names a host with the configured public port of the scheme (none when unset or the default), as httpsLocation does. */
export function publicPortAuthority(ports: {
  http: number | undefined;
  https: number | undefined;
}): LocationAuthority {
  return (scheme, host) => {
    const port = ports[scheme];
    return port === undefined || port === (scheme === 'https' ? 443 : 80) ? host : `${host}:${port}`;
  };
}
