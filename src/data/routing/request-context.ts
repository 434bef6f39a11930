/** What the data plane learns about a request as it routes it, read back by the access log and metrics. */

import type { CacheExchange } from '../cache/cache-exchange.js';
import type { TargetState } from '../proxy/balancer.js';
import type { CompiledHost, CompiledRoute } from './snapshot.js';

export interface RequestContext {
  host: CompiledHost | undefined;
  route: CompiledRoute | undefined;
  /** The normalised request host the route was found for: what the cache keys and the backend is told. */
  hostName: string | undefined;
  target: TargetState | undefined;
  /** performance.now() when the upstream request left; 0 if it never did. */
  upstreamStart: number;
  /** ms until upstream response headers; -1 if none came. */
  upstreamMs: number;
  /** Error code when Gerbang answered itself. */
  errorCode: string | undefined;
  /** The shared cache's state for this request; undefined on routes that do not cache. */
  cache: CacheExchange | undefined;
  /** The target counted in flight for the upstream attempt now running (released when it ends). */
  acquired: TargetState | undefined;
  /** That attempt is a half-open probe of the target. */
  probe: boolean;
  /** Already retried once on another target: never twice. */
  retried: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    gerbang: RequestContext;
  }
}

export function newRequestContext(): RequestContext {
  return {
    host: undefined,
    route: undefined,
    hostName: undefined,
    target: undefined,
    upstreamStart: 0,
    upstreamMs: -1,
    errorCode: undefined,
    cache: undefined,
    acquired: undefined,
    probe: false,
    retried: false,
  };
}
