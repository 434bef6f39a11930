/** Bodyless proxied requests sent upstream from Node's raw request, before fastify builds a request and a reply: the commonest request a portal sees, without the framework's per-request cost. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  observeAs,
  type RequestArrival,
  type RequestObserver,
} from '../../observability/request-observer.js';
import { sendOwnError } from '../pages/own-replies.js';
import type { ListenerServices } from '../routing/exchange.js';
import { newRequestContext } from '../routing/request-context.js';
import { requestIdOf } from '../routing/request-id.js';
import type { RoutingFront } from '../routing/routing-front.js';
import { carriesBody } from './carries-body.js';
import type { ProxyHooks } from './forward.js';
import { RawReply, RawRequest } from './raw-exchange.js';
import { sendToTarget } from './send-to-target.js';
import type { UpstreamPools } from './upstream-pools.js';

export interface ProxiedFrontOptions {
  scheme: 'http' | 'https';
  routing: RoutingFront;
  pools: UpstreamPools;
  hooks: ProxyHooks;
  observer: RequestObserver;
  /** What fastify's path calls for every request it takes: in-flight count, byte counts, the access line on close. */
  arrived: RequestArrival;
  services: ListenerServices;
  /** Caching routes go through the cache flow (fastify's path) when the listener has a cache. */
  hasCache: boolean;
  /** True once the listener is closing: fastify then answers what still arrives (503, Connection: close). */
  isClosing: () => boolean;
}

/** Takes the request and returns true, or returns false and leaves it to fastify. */
export type ProxiedFront = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * Only routed requests that passed every edge policy and carry no body are taken, on routes the cache has no say
 * in. Everything else (uploads, basic auth, caching routes, own pages, refusals) stays with fastify. What is taken
 * goes through the same code fastify's handler runs (sendToTarget, forward, the listener's proxy hooks), on a
 * request and reply of the front's own (raw-exchange.ts); the access line and metrics come when the response
 * closes, from the listener's observer, as for fastify's requests.
 */
export function createProxiedFront(options: ProxiedFrontOptions): ProxiedFront {
  const { routing: routeOf, pools, hooks, observer, arrived, services, hasCache, isClosing } = options;
  const isTls = options.scheme === 'https';
  return (req, res) => {
    // Nothing to stream, guard or parse: bodies go through fastify.
    if (isClosing() || carriesBody(req)) return false;
    const routing = routeOf(req);
    if (routing.kind !== 'route' || (hasCache && routing.route.cache !== undefined)) return false;
    const ctx = newRequestContext();
    const host = routing.host;
    ctx.host = host;
    ctx.route = routing.route;
    ctx.hostName = routing.hostName;
    const request = new RawRequest(req, requestIdOf(req), ctx);
    const reply = new RawReply(res, request, services);
    arrived(req, res);
    observeAs(req, request);
    if (isTls && host.hsts !== undefined) reply.header('strict-transport-security', host.hsts);
    try {
      sendToTarget(request, reply, routing, pools, hooks);
    } catch (err) {
      // What fastify's error handler does for a throw on its path.
      observer.onInternalError(request, err);
      if (!reply.sent) sendOwnError(reply, 'BAD_GATEWAY');
    }
    return true;
  };
}
