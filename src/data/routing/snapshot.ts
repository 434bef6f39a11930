/** The immutable snapshot the data plane reads: compiled hosts and routes, swapped whole when anything changes. */
import type { ErrorPages } from '../../model/headers-schema.js';
import type { AppInfo, HostSource, Route } from '../../model/host-schema.js';
import type { RouteCachePlan } from '../cache/route-plan.js';
import type { CompressionPlan } from '../compression/compression-plan.js';
import type { RatePlan } from '../limits/rate-plan.js';
import type { MaintenancePlan } from '../pages/maintenance-page.js';
import type { AccessPlan } from '../policy/access-list.js';
import type { BasicAuthPlan } from '../policy/basic-auth.js';
import type { HeaderRuleSet, ResponseHeaderPlan } from '../policy/header-plan.js';
import type { ProbePlan } from '../policy/probe-filter.js';
import type { Balancer } from '../proxy/balancer.js';
import type { CompiledPrefixRedirect, CompiledRedirect } from './redirect-plan.js';

export interface RouteTimeouts {
  connectMs: number;
  responseMs: number;
  idleMs: number;
}

export interface CompiledRoute {
  /** Normalised prefix: leading slash, no trailing slash except the root. */
  readonly path: string;
  readonly stripPrefix: boolean;
  readonly preserveHost: boolean;
  readonly timeouts: RouteTimeouts;
  readonly balancer: Balancer;
  /** The shared cache's plan for this route; undefined = no cache work at all. */
  readonly cache: RouteCachePlan | undefined;
  /** Compression at the edge for this route; undefined = responses go as the backend wrote them. */
  readonly compression: CompressionPlan | undefined;
  /** The probe filter (route's setting, else the host's); undefined = off. */
  readonly probe: ProbePlan | undefined;
  /** The access list (route's, else the host's); undefined = every address passes. */
  readonly access: AccessPlan | undefined;
  /** Basic authentication (the route's `access.basicAuth`, else the host's); undefined = none. */
  readonly basicAuth: BasicAuthPlan | undefined;
  /** The rate limit (route's, else the host's); undefined = no rate work at all. */
  readonly rateLimit: RatePlan | undefined;
  /** The response header policy (route's `headers`, else the host's); undefined = nothing to do. */
  readonly responseHeaders: ResponseHeaderPlan | undefined;
  /** The request header rules (route's `headers`, else the host's); undefined = none. */
  readonly requestHeaders: HeaderRuleSet | undefined;
  /** The stored definition, for the admin API and logs. */
  readonly spec: Route;
}

export interface CompiledHost {
  /** `dinkes.paserkab.go.id` or `*.dinkes.paserkab.go.id`. */
  readonly name: string;
  readonly agency: string | undefined;
  readonly source: HostSource;
  /** Longest path first, so the first match is the longest prefix. */
  readonly routes: readonly CompiledRoute[];
  /** Plain HTTP answers 308 to https (ACME challenges are answered before routing). */
  readonly forceHttps: boolean;
  /** The whole Strict-Transport-Security value for HTTPS answers, or undefined. */
  readonly hsts: string | undefined;
  /** Set while the host is under maintenance: answered 503 without touching the backend. */
  readonly maintenance?: MaintenancePlan | undefined;
  /** How the service appears in the public directory. */
  readonly app?: AppInfo | undefined;
  /** A redirect-only host (or redirecting alias): every request answered with it, no route. */
  readonly redirect?: CompiledRedirect | undefined;
  /** Prefix redirects, longest first; answered before routes. */
  readonly redirects?: readonly CompiledPrefixRedirect[] | undefined;
  /** The agency's own texts on the branded pages (a route's own replace them). */
  readonly errorPages?: ErrorPages | undefined;
  /** A page the defacement watch flagged is purged from the cache and not stored again while flagged. */
  readonly skipCacheWhenFlagged?: boolean | undefined;
}

export interface Snapshot {
  readonly version: number;
  readonly builtAt: number;
  /** Exact names. */
  readonly exact: ReadonlyMap<string, CompiledHost>;
  /** Alias names: the host itself (alias that serves) or a redirect-only entry named after the alias. */
  readonly aliases: ReadonlyMap<string, CompiledHost>;
  /** Wildcards, keyed by the suffix after `*.` (`dinkes.paserkab.go.id` for `*.dinkes.paserkab.go.id`). */
  readonly wildcards: ReadonlyMap<string, CompiledHost>;
}

export const EMPTY_SNAPSHOT: Snapshot = {
  version: 0,
  builtAt: 0,
  exact: new Map(),
  aliases: new Map(),
  wildcards: new Map(),
};

/** Holds the current snapshot; the data plane reads `current` once per request, the control plane swaps it. */
export class SnapshotHolder {
  current: Snapshot = EMPTY_SNAPSHOT;
  private readonly listeners: Array<(snapshot: Snapshot) => void> = [];

  swap(next: Snapshot): void {
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  onSwap(listener: (snapshot: Snapshot) => void): void {
    this.listeners.push(listener);
  }
}
