/** Builds an immutable Snapshot from host documents: routes sorted, timeouts resolved, targets bound to shared state. */
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
} from '../../config/defaults.js';
import type { HostDoc, HostSource } from '../../model/host-schema.js';
import { parseTarget } from '../../model/target-url.js';
import { compileRouteCache } from '../cache/route-plan.js';
import { compileCompression } from '../compression/compression-plan.js';
import { compileRateLimit } from '../limits/rate-plan.js';
import { compileMaintenance } from '../pages/maintenance-page.js';
import { compileAccessList } from '../policy/access-list.js';
import { compileBasicAuth } from '../policy/basic-auth.js';
import { compileRequestHeaders, compileResponseHeaders } from '../policy/header-plan.js';
import { compileProbeFilter } from '../policy/probe-filter.js';
import { Balancer, type TargetStates } from '../proxy/balancer.js';
import { hstsHeader } from '../tls/hsts.js';
import { aliasRedirect, compileHostRedirect, compilePrefixRedirects } from './redirect-plan.js';
import { normalizeRoutePath } from './router.js';
import type { CompiledHost, CompiledRoute, Snapshot } from './snapshot.js';

export interface SourcedHost {
  doc: HostDoc;
  source: HostSource;
}

export interface CompiledSnapshot {
  snapshot: Snapshot;
  /** Every target origin the snapshot names: pools and states of the others can go. */
  origins: Set<string>;
}

function compileHost(entry: SourcedHost, states: TargetStates, origins: Set<string>): CompiledHost {
  // Compiled once for the host: every route without its own list shares it.
  const hostAccess = compileAccessList(entry.doc.access, '/access');
  const hostAuth = compileBasicAuth(entry.doc.access?.basicAuth, '/access/basicAuth');
  // One plan, one count per address for every route without its own limit.
  const hostRate = compileRateLimit(entry.doc.host, entry.doc.rateLimit, entry.doc.host, '/rateLimit');
  // A route's `headers` replaces the host's whole, as its access list does.
  const hostResponse = compileResponseHeaders(entry.doc.headers);
  const hostRequest = compileRequestHeaders(entry.doc.headers);
  const routes: CompiledRoute[] = entry.doc.routes.map((spec, i) => {
    const parsed = spec.targets.map((t, j) => parseTarget(t, `routes[${i}].targets[${j}]`));
    for (const p of parsed) origins.add(p.origin);
    return {
      path: normalizeRoutePath(spec.path),
      stripPrefix: spec.stripPrefix ?? false,
      preserveHost: spec.preserveHost ?? true,
      timeouts: {
        connectMs: spec.timeouts?.connect ?? DEFAULT_CONNECT_TIMEOUT_MS,
        responseMs: spec.timeouts?.response ?? DEFAULT_RESPONSE_TIMEOUT_MS,
        idleMs: spec.timeouts?.idle ?? DEFAULT_IDLE_TIMEOUT_MS,
      },
      balancer: new Balancer(
        parsed.map((p) => states.get(p.origin)),
        parsed,
        spec.balance,
        spec.weights,
      ),
      cache: compileRouteCache(entry.doc, spec),
      compression: compileCompression(entry.doc, spec),
      probe: compileProbeFilter(entry.doc.probeFilter, spec.probeFilter),
      access: spec.access !== undefined ? compileAccessList(spec.access, `/routes/${i}/access`) : hostAccess,
      basicAuth:
        spec.access?.basicAuth !== undefined
          ? compileBasicAuth(spec.access.basicAuth, `/routes/${i}/access/basicAuth`)
          : hostAuth,
      rateLimit:
        spec.rateLimit !== undefined
          ? compileRateLimit(
              entry.doc.host,
              spec.rateLimit,
              `${entry.doc.host}${normalizeRoutePath(spec.path)}`,
              `/routes/${i}/rateLimit`,
            )
          : hostRate,
      responseHeaders: spec.headers !== undefined ? compileResponseHeaders(spec.headers) : hostResponse,
      requestHeaders: spec.headers !== undefined ? compileRequestHeaders(spec.headers) : hostRequest,
      spec,
    };
  });
  routes.sort((a, b) => b.path.length - a.path.length);
  return {
    name: entry.doc.host,
    agency: entry.doc.agency,
    source: entry.source,
    routes,
    forceHttps: entry.doc.forceHttps === true,
    hsts: hstsHeader(entry.doc.hsts),
    maintenance: compileMaintenance(entry.doc.host, entry.doc.maintenance, entry.doc.errorPages?.maintenance),
    app: entry.doc.app,
    redirect: compileHostRedirect(entry.doc.redirect),
    redirects: compilePrefixRedirects(entry.doc.redirects),
    errorPages: entry.doc.errorPages,
    skipCacheWhenFlagged: entry.doc.defacement?.skipCacheWhenFlagged === true,
  };
}

type AliasEntry = readonly [name: string, host: CompiledHost];

/**
 * An alias that serves is the host itself under another name; one that redirects is a redirect-only entry of its
 * own (named after the alias, with the host's forceHttps and HSTS, so an old http:// bookmark goes to https first).
 */
function compileAliases(doc: HostDoc, compiled: CompiledHost): AliasEntry[] {
  return (doc.aliases ?? []).map((alias): AliasEntry => {
    if (alias.mode === 'serve') return [alias.name, compiled];
    return [
      alias.name,
      {
        name: alias.name,
        agency: compiled.agency,
        source: compiled.source,
        routes: [],
        forceHttps: compiled.forceHttps,
        hsts: compiled.hsts,
        redirect: aliasRedirect(compiled.name, alias.status ?? 308),
      },
    ];
  });
}

/**
 * Compiled hosts by document, so a rebuild after one write compiles one host, not all of them. Documents are
 * immutable once stored; a cached host's targets stay in `origins`, so their shared states are retained.
 */
export type CompiledHostCache = WeakMap<
  HostDoc,
  { source: HostSource; compiled: CompiledHost; origins: string[]; aliases: AliasEntry[] }
>;

/**
 * Compiles every host. Store hosts override config hosts of the same name only if the config does not
 * declare it: the caller passes config hosts last, and they win, because the file is the operator's word.
 */
export function compileSnapshot(
  hosts: Iterable<SourcedHost>,
  states: TargetStates,
  version: number,
  onError: (host: string, err: Error) => void,
  cache?: CompiledHostCache,
): CompiledSnapshot {
  const exact = new Map<string, CompiledHost>();
  const aliases = new Map<string, CompiledHost>();
  const wildcards = new Map<string, CompiledHost>();
  const origins = new Set<string>();
  for (const entry of hosts) {
    let compiled: CompiledHost;
    let named: AliasEntry[];
    const hit = cache?.get(entry.doc);
    if (hit && hit.source === entry.source) {
      compiled = hit.compiled;
      named = hit.aliases;
      for (const origin of hit.origins) origins.add(origin);
    } else {
      const own = new Set<string>();
      try {
        compiled = compileHost(entry, states, own);
        named = compileAliases(entry.doc, compiled);
      } catch (err) {
        onError(entry.doc.host, err as Error);
        continue;
      }
      for (const origin of own) origins.add(origin);
      cache?.set(entry.doc, { source: entry.source, compiled, origins: [...own], aliases: named });
    }
    if (compiled.name.startsWith('*.')) wildcards.set(compiled.name.slice(2), compiled);
    else exact.set(compiled.name, compiled);
    // Registration refuses an alias another host holds; should two still meet, the first compiled keeps it.
    for (const [name, host] of named) if (!aliases.has(name)) aliases.set(name, host);
  }
  states.retain(origins);
  return { snapshot: { version, builtAt: Date.now(), exact, aliases, wildcards }, origins };
}
