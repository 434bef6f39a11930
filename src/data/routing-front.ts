/** The front of the request path, shared by the fastify handler and the fresh-hit front: ACME, host, HTTPS redirect, maintenance, path → route. */
import type { IncomingMessage } from 'node:http';
import { normalizeRequestHost } from '../model/host-name.js';
import type { MaintenancePlan } from './maintenance-page.js';
import { findHost, findRoute } from './router.js';
import type { CompiledHost, CompiledRoute, SnapshotHolder } from './snapshot.js';
import { ACME_CHALLENGE_PATH } from './tls/plain-http.js';

/** Where a request goes, decided from its method-independent parts (URL and Host) against the current snapshot. */
export type Routing =
  | { readonly kind: 'acme-challenge'; readonly url: string }
  | { readonly kind: 'directory'; readonly url: string }
  /** Missing or malformed Host, or a URL that is not origin-form (host set when the Host was known). */
  | { readonly kind: 'bad-request'; readonly host: CompiledHost | undefined }
  | { readonly kind: 'unknown-host' }
  | {
      readonly kind: 'force-https';
      readonly host: CompiledHost;
      readonly hostName: string;
      readonly url: string;
    }
  | { readonly kind: 'maintenance'; readonly host: CompiledHost; readonly plan: MaintenancePlan }
  | { readonly kind: 'no-route'; readonly host: CompiledHost }
  | {
      readonly kind: 'route';
      readonly host: CompiledHost;
      readonly route: CompiledRoute;
      readonly hostName: string;
      /** The request target as sent, its path (no query) and the index of `?` in it (-1 without one). */
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
}

/** Routes a request once: a second call for the same request (the fresh-hit front, then fastify) reads the first answer. */
export type RoutingFront = (raw: IncomingMessage) => Routing;

const ROUTED = Symbol('gerbang.routed');
type RoutedRequest = IncomingMessage & { [ROUTED]?: Routing };

const UNKNOWN_HOST: Routing = { kind: 'unknown-host' };
const NO_HOST: Routing = { kind: 'bad-request', host: undefined };

export function createRoutingFront(options: RoutingFrontOptions): RoutingFront {
  const { holder, isPlain, answersAcme, directoryHost } = options;
  const decide = (raw: IncomingMessage): Routing => {
    const url = raw.url ?? '/';
    if (answersAcme && url.startsWith(ACME_CHALLENGE_PATH)) return { kind: 'acme-challenge', url };
    const hostName = normalizeRequestHost(raw.headers.host);
    if (hostName === undefined) return NO_HOST;
    if (hostName === directoryHost) return { kind: 'directory', url };
    const host = findHost(holder.current, hostName);
    if (host === undefined) return UNKNOWN_HOST;
    if (host.forceHttps && isPlain) return { kind: 'force-https', host, hostName, url };
    if (host.maintenance !== undefined) return { kind: 'maintenance', host, plan: host.maintenance };
    // Only origin-form targets are routed: an absolute-form URL must not pick its own upstream.
    if (url.charCodeAt(0) !== 47 /* / */) return { kind: 'bad-request', host };
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const route = findRoute(host, path);
    if (route === undefined) return { kind: 'no-route', host };
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
