/** The front of the request path, shared by the fastify handler and the fresh-hit front: ACME, host, HTTPS redirect, maintenance, path → route. */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../../errors.js';
import { normalizeRequestHost } from '../../model/host-name.js';
import { clientKey } from '../limits/client-key.js';
import type { RateLimiter, RateVerdict } from '../limits/rate-limiter.js';
import type { MaintenancePlan } from '../pages/maintenance-page.js';
import {
  type BasicAuthPlan,
  basicAuthGate,
  type Credentials,
  readCredentials,
} from '../policy/basic-auth.js';
import { clientAddressOf } from '../policy/client-address.js';
import { type ProbeAction, probeRuleOf } from '../policy/probe-filter.js';
import type { ProbeRuleId } from '../policy/probe-rules.js';
import { ACME_CHALLENGE_PATH } from '../tls/plain-http.js';
import { findPrefixRedirect, type LocationAuthority, redirectLocation } from './redirect-plan.js';
import { readRequestTarget } from './request-target.js';
import { findHost, findRoute } from './router.js';
import type { CompiledHost, CompiledRoute, SnapshotHolder } from './snapshot.js';
import type { TrustCheck } from './trusted-proxies.js';

/** Where a request goes, decided from its method-independent parts (URL and Host) against the current snapshot. */
export type Routing =
  | { readonly kind: 'acme-challenge'; readonly url: string }
  | { readonly kind: 'directory'; readonly url: string }
  /** Missing, malformed or repeated Host, or a target that is ambiguous (host set when the Host was known). */
  | { readonly kind: 'bad-request'; readonly host: CompiledHost | undefined; readonly code: ErrorCode }
  | { readonly kind: 'unknown-host' }
  | {
      readonly kind: 'force-https';
      readonly host: CompiledHost;
      readonly hostName: string;
      readonly url: string;
    }
  | { readonly kind: 'maintenance'; readonly host: CompiledHost; readonly plan: MaintenancePlan }
  | { readonly kind: 'no-route'; readonly host: CompiledHost }
  /** The probe filter of the route is in block mode and a rule matched: answered 404 or 403, backend untouched. */
  | { readonly kind: 'probe-blocked'; readonly host: CompiledHost; readonly status: 403 | 404 }
  /** The route's (or host's) access list refuses the client address: answered with the branded 403. */
  | { readonly kind: 'access-denied'; readonly host: CompiledHost }
  /** The client address spent the route's (or host's) rate limit: a 429 with Retry-After and the RateLimit fields. */
  | { readonly kind: 'rate-limited'; readonly host: CompiledHost; readonly verdict: RateVerdict }
  /** An alias, a redirect-only host or a prefix rule: answered with `location`, backend and cache untouched. */
  | {
      readonly kind: 'redirect';
      readonly host: CompiledHost;
      readonly status: number;
      readonly location: string;
    }
  /** Basic authentication and no (well-formed) credentials: a 401 with WWW-Authenticate at once. */
  | { readonly kind: 'auth-required'; readonly host: CompiledHost; readonly plan: BasicAuthPlan }
  /** Credentials not verified lately: the handler runs the slow hash, then goes on with `pass` or answers 401. */
  | {
      readonly kind: 'auth-verify';
      readonly host: CompiledHost;
      readonly plan: BasicAuthPlan;
      readonly credentials: Credentials;
      readonly address: string;
      readonly pass: RouteRouting;
    }
  | RouteRouting;

export type RouteRouting = {
  readonly kind: 'route';
  readonly host: CompiledHost;
  readonly route: CompiledRoute;
  readonly hostName: string;
  /** The request target in origin-form, path normalised (request-target.ts), its path (no query) and the index of `?` (-1 without one). */
  readonly url: string;
  readonly path: string;
  readonly q: number;
};

export interface RoutingFrontOptions {
  holder: SnapshotHolder;
  /** The plain HTTP listener: answers ACME challenges and redirects forceHttps hosts. */
  isPlain: boolean;
  answersAcme: boolean;
  /** Host name of the public service directory; undefined when it is not served. */
  directoryHost: string | undefined;
  /** Which peers may name the client in X-Forwarded-For (access lists); absent = none. */
  isTrusted?: TrustCheck | undefined;
  /** Told once per request of a probe matched (detect or block) and of an address refused (logs, metrics). */
  events?: PolicyEvents | undefined;
  /** The data plane's rate limiter (both listeners share it); absent = no route is limited. */
  rates?: RateLimiter | undefined;
  /** How a redirect's Location names a host (public port); absent = the bare name. */
  locationAuthority?: LocationAuthority | undefined;
}

export interface PolicyEvents {
  probe(req: IncomingMessage, host: CompiledHost, rule: ProbeRuleId, action: ProbeAction): void;
  accessDenied(req: IncomingMessage, host: CompiledHost): void;
  /** Credentials refused by basic authentication (never the credentials themselves). */
  authFailed?(req: IncomingMessage, host: CompiledHost): void;
}

const BARE_AUTHORITY: LocationAuthority = (_scheme, host) => host;

/** The request goes on: Authorization is removed here, before cache and backend, unless the plan passes it. */
export function admitCredentials(raw: IncomingMessage, plan: BasicAuthPlan): void {
  if (!plan.passThrough) delete raw.headers.authorization;
}

const NOBODY_TRUSTED: TrustCheck = () => false;

/** Routes a request once: a second call for the same request (the fresh-hit front, then fastify) reads the first answer. */
export type RoutingFront = (raw: IncomingMessage) => Routing;

const ROUTED = Symbol('gerbang.routed');
type RoutedRequest = IncomingMessage & { [ROUTED]?: Routing };

const UNKNOWN_HOST: Routing = { kind: 'unknown-host' };
const NO_HOST: Routing = { kind: 'bad-request', host: undefined, code: 'BAD_REQUEST' };
const TWO_HOSTS: Routing = { kind: 'bad-request', host: undefined, code: 'AMBIGUOUS_HOST' };

/** RFC 9112 §3.2: a request with more than one Host is a 400 (Node keeps the first and drops the others). */
function hasSeveralHosts(rawHeaders: readonly string[]): boolean {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === 4 && name.toLowerCase() === 'host' && ++seen > 1) return true;
  }
  return false;
}

export function createRoutingFront(options: RoutingFrontOptions): RoutingFront {
  const { holder, isPlain, answersAcme, directoryHost, events, rates } = options;
  const isTrusted = options.isTrusted ?? NOBODY_TRUSTED;
  const scheme = isPlain ? 'http' : 'https';
  const authority = options.locationAuthority ?? BARE_AUTHORITY;
  const decide = (raw: IncomingMessage): Routing => {
    const sent = raw.url ?? '/';
    if (answersAcme && sent.startsWith(ACME_CHALLENGE_PATH)) return { kind: 'acme-challenge', url: sent };
    const hostName = normalizeRequestHost(raw.headers.host);
    if (hostName === undefined) return NO_HOST;
    if (hasSeveralHosts(raw.rawHeaders)) return TWO_HOSTS;
    // Everything after this sees one target: what is routed is what the cache keys and the backend receives.
    const target = readRequestTarget(sent, scheme, hostName);
    if (typeof target === 'string') {
      const known = hostName === directoryHost ? undefined : findHost(holder.current, hostName);
      return { kind: 'bad-request', host: known, code: target };
    }
    const { url, path, q } = target;
    if (hostName === directoryHost) return { kind: 'directory', url };
    const host = findHost(holder.current, hostName);
    if (host === undefined) return UNKNOWN_HOST;
    if (host.forceHttps && isPlain) return { kind: 'force-https', host, hostName, url };
    // Redirects after force-https (an old http:// name first gets https on its own name, then the move) and
    // before maintenance, policies, cache and backend: the page they name is someone else's answer.
    const whole = host.redirect;
    if (whole !== undefined) {
      const location = redirectLocation(whole, undefined, scheme, hostName, path, url, q, authority);
      return { kind: 'redirect', host, status: whole.status, location };
    }
    const rules = host.redirects;
    if (rules !== undefined && rules.length > 0) {
      const rule = findPrefixRedirect(rules, path);
      if (rule !== undefined) {
        const location = redirectLocation(rule, rule.prefix, scheme, hostName, path, url, q, authority);
        return { kind: 'redirect', host, status: rule.status, location };
      }
    }
    if (host.maintenance !== undefined) return { kind: 'maintenance', host, plan: host.maintenance };
    const route = findRoute(host, path);
    if (route === undefined) return { kind: 'no-route', host };
    // Edge policies, from the snapshot and without an await: before the cache and the backend are touched.
    const probe = route.probe;
    if (probe !== undefined) {
      const rule = probeRuleOf(path, url, q);
      if (rule !== undefined) {
        events?.probe(raw, host, rule, probe.action);
        if (probe.action === 'block') return { kind: 'probe-blocked', host, status: probe.status };
      }
    }
    const access = route.access;
    if (access !== undefined && !access.admits(clientAddressOf(raw, isTrusted))) {
      events?.accessDenied(raw, host);
      return { kind: 'access-denied', host };
    }
    // Counted once per request (the answer is remembered), fresh cache hits and upgrades included.
    const rate = route.rateLimit;
    if (rate !== undefined && rates !== undefined) {
      const address = clientAddressOf(raw, isTrusted);
      // A trusted proxy that names no client (a layer-4 balancer) carries many clients: never limited as one.
      const verdict = isTrusted(address) ? undefined : rates.limit(rate, address);
      if (verdict !== undefined) return { kind: 'rate-limited', host, verdict };
    }
    // An alias that serves is routed, cached and sent upstream as its host: one cache entry, one Host for the backend.
    const routedName = host.name.charCodeAt(0) === 42 /* * */ ? hostName : host.name;
    const pass: RouteRouting = { kind: 'route', host, route, hostName: routedName, url, path, q };
    const auth = route.basicAuth;
    if (auth !== undefined) {
      const credentials = readCredentials(raw.headers.authorization);
      if (credentials === undefined) return { kind: 'auth-required', host, plan: auth };
      if (!basicAuthGate.remembers(auth, credentials)) {
        // Throttled per /64 for IPv6 (one subscriber's block), as the per-address caps count clients.
        const address = clientKey(clientAddressOf(raw, isTrusted));
        return { kind: 'auth-verify', host, plan: auth, credentials, address, pass };
      }
      admitCredentials(raw, auth);
    }
    return pass;
  };
  return (raw) => {
    const routed = raw as RoutedRequest;
    const known = routed[ROUTED];
    if (known !== undefined) return known;
    const routing = decide(raw);
    routed[ROUTED] = routing;
    return routing;
  };
}
