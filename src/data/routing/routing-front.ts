/** The front of the request path, shared by the fastify handler and the fresh-hit front: ACME, host, HTTPS redirect, maintenance, path → route. */
import type { IncomingMessage } from 'node:http';
import type { ErrorCode } from '../../errors.js';
import { normalizeRequestHost } from '../../model/host-name.js';
import type { MaintenancePlan } from '../pages/maintenance-page.js';
import { clientAddressOf } from '../policy/client-address.js';
import { type ProbeAction, probeRuleOf } from '../policy/probe-filter.js';
import type { ProbeRuleId } from '../policy/probe-rules.js';
import { ACME_CHALLENGE_PATH } from '../tls/plain-http.js';
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
  | {
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
}

export interface PolicyEvents {
  probe(req: IncomingMessage, host: CompiledHost, rule: ProbeRuleId, action: ProbeAction): void;
  accessDenied(req: IncomingMessage, host: CompiledHost): void;
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
  const { holder, isPlain, answersAcme, directoryHost, events } = options;
  const isTrusted = options.isTrusted ?? NOBODY_TRUSTED;
  const scheme = isPlain ? 'http' : 'https';
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
    return { kind: 'route', host, route, hostName, url, path, q };
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
