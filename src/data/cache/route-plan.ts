/** Decides at snapshot compile time whether a route caches, so the request path of a non-caching route does no cache work. */
import type { HostDoc, Route } from '../../model/host-schema.js';

export interface RouteCachePlan {
  /** Largest body this route stores; undefined = the gateway's configured bound. */
  readonly maxObjectBytes: number | undefined;
  /** ms a stale entry may stand in for a failing backend (the host's serveStaleOnError). */
  readonly serveStaleOnErrorMs: number;
}

/** undefined when the cache is off for the route: the route's own switch wins over the host's; both default to on. */
export function compileRouteCache(host: HostDoc, route: Route): RouteCachePlan | undefined {
  if (!(route.cache?.enabled ?? host.cache?.enabled ?? true)) return undefined;
  return {
    maxObjectBytes: route.cache?.maxObjectBytes ?? host.cache?.maxObjectBytes,
    serveStaleOnErrorMs: (host.serveStaleOnError ?? 0) * 1000,
  };
}
