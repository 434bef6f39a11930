/** A routed request that passed every edge policy (and that the cache did not answer) sent to one of its route's targets. */
import { performance } from 'node:perf_hooks';
import { sendOwnError } from '../pages/own-replies.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import { upstreamPath } from '../routing/router.js';
import type { RouteRouting } from '../routing/routing-front.js';
import { forward, type ProxyHooks } from './forward.js';
import type { UpstreamPools } from './upstream-pools.js';

export function sendToTarget(
  request: GatewayRequest,
  reply: GatewayReply,
  routing: RouteRouting,
  pools: UpstreamPools,
  hooks: ProxyHooks,
): void {
  const { route, url, path, q } = routing;
  const balancer = route.balancer;
  const target = balancer.choose(
    performance.now(),
    balancer.policy === 'clientHash' ? request.raw.socket.remoteAddress : undefined,
  );
  if (target === undefined) {
    sendOwnError(reply, 'UPSTREAM_UNAVAILABLE');
    return;
  }
  request.gerbang.target = target;
  const sent = upstreamPath(route, path);
  const pathAndQuery = q < 0 ? sent : sent + url.slice(q);
  // A dot-segment escape or an undecodable path is refused before any backend sees it.
  if (!forward(request, reply, pools, target, pathAndQuery, q < 0 ? -1 : sent.length, hooks))
    sendOwnError(reply, 'BAD_REQUEST');
}
