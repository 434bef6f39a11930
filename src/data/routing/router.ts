/** Request routing: exact host, then the longest wildcard, then the longest path prefix; cost independent of the host count. */
import type { CompiledHost, CompiledRoute, Snapshot } from './snapshot.js';

/** Finds the host entry for a normalised name: O(labels), whatever the number of registered hosts. */
export function findHost(snapshot: Snapshot, name: string): CompiledHost | undefined {
  const exact = snapshot.exact.get(name);
  if (exact !== undefined) return exact;
  const alias = snapshot.aliases.size === 0 ? undefined : snapshot.aliases.get(name);
  if (alias !== undefined) return alias;
  if (snapshot.wildcards.size === 0) return undefined;
  // `a.b.dinkes.x` tries `*.b.dinkes.x`, then `*.dinkes.x`, ...: the first hit is the longest wildcard.
  let dot = name.indexOf('.');
  while (dot >= 0) {
    const hit = snapshot.wildcards.get(name.slice(dot + 1));
    if (hit !== undefined) return hit;
    dot = name.indexOf('.', dot + 1);
  }
  return undefined;
}

/** True when `path` is `prefix` or lies below it on a segment boundary (`/api` matches `/api/x`, not `/apix`). */
export function pathHasPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return true;
  if (!path.startsWith(prefix)) return false;
  return path.length === prefix.length || path.charCodeAt(prefix.length) === 47 /* / */;
}

/** The route with the longest matching prefix; routes are pre-sorted longest first. */
export function findRoute(host: CompiledHost, path: string): CompiledRoute | undefined {
  const routes = host.routes;
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i] as CompiledRoute;
    if (pathHasPrefix(path, route.path)) return route;
  }
  return undefined;
}

/** The path sent upstream: with `stripPrefix`, the matched prefix is removed (keeping a leading slash). */
export function upstreamPath(route: CompiledRoute, path: string): string {
  if (!route.stripPrefix || route.path === '/') return path;
  const rest = path.slice(route.path.length);
  return rest.length === 0 ? '/' : rest;
}

/** Normalises a configured route prefix: `/api/` and `/api` are the same route. */
export function normalizeRoutePath(path: string): string {
  if (path.length > 1 && path.endsWith('/')) return path.replace(/\/+$/, '') || '/';
  return path;
}
