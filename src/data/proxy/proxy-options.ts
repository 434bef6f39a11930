/** The proxy hooks of a listener, built once: the upstream request's headers, the response's writer, failure handling. */

import type { IncomingHttpHeaders } from 'node:http';
import { backendConditionals } from '../compression/etag.js';
import { buildAttemptSettler } from '../health/upstream-attempts.js';
import { sendOwnError } from '../pages/own-replies.js';
import { applyRuleSet } from '../policy/response-headers.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import type { PublicAuthority } from '../routing/public-authority.js';
import type { TrustCheck } from '../routing/trusted-proxies.js';
import type { TargetState } from './balancer.js';
import { isAlwaysDropped, isClientClaim } from './client-claims.js';
import { type ProxiedResponse, sendUpstream } from './direct-reply.js';
import type { ProxyHooks } from './forward.js';
import { connectionNamed, NEVER_FORWARDED } from './hop-by-hop.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';

export interface ProxyOptionsInput {
  scheme: 'http' | 'https';
  /** The listener's public authority: Host (preserveHost) and X-Forwarded-Host/-Port are built from it. */
  authority: PublicAuthority;
  isTrusted: TrustCheck;
  onUpstreamError: (request: GatewayRequest, reason: UpstreamFailure, err: unknown) => void;
  /** An attempt failed before any response and the request went once more to another target. */
  onRetry?: (request: GatewayRequest, reason: UpstreamFailure, from: TargetState) => void;
}

type Headers = Record<string, unknown>;

export function buildProxyOptions(input: ProxyOptionsInput): ProxyHooks {
  const { scheme, isTrusted, authority } = input;

  /**
   * The upstream request's headers, built as a fresh object in one pass from the client's: adding the
   * X-Forwarded-* keys to a copy reshaped it key by key, which was the largest piece of Gerbang's own time.
   */
  function requestHeaders(
    request: GatewayRequest,
    headers: IncomingHttpHeaders,
    targetHost: string,
  ): IncomingHttpHeaders {
    const raw = request.raw;
    const ctx = request.gerbang;
    const peer = raw.socket.remoteAddress ?? '';
    const trusted = isTrusted(peer);
    const named = connectionNamed(headers.connection);
    const h: Headers = {};
    for (const name in headers) {
      // HTTP/2 pseudo-fields (`:path`, `:authority`) are the request line, not fields to pass on.
      if (name.charCodeAt(0) === 58 /* : */) continue;
      if (NEVER_FORWARDED.has(name) || named?.has(name) || isAlwaysDropped(name)) continue;
      // An untrusted client cannot speak for anyone but itself: its claims about the way it came are dropped.
      if (!trusted && isClientClaim(name)) continue;
      h[name] = headers[name];
    }
    // Tags Gerbang gave out for its compressed variants mean nothing to the backend: its own go instead.
    if (ctx.route?.compression !== undefined) backendConditionals(h);
    // The host's request rules, before Gerbang's own fields (no rule may name those).
    const rules = ctx.route?.requestHeaders;
    if (rules !== undefined) applyRuleSet(rules, h as Record<string, string | string[] | undefined>);
    // The name the route was found for, as the cache keys it, with the port clients really use.
    const publicHost = authority.of(ctx.hostName ?? '');
    if (trusted) {
      const prior = h['x-forwarded-for'];
      h['x-forwarded-for'] = typeof prior === 'string' && prior ? `${prior}, ${peer}` : peer;
      h['x-forwarded-proto'] ??= scheme;
      h['x-forwarded-host'] ??= publicHost;
      h['x-forwarded-port'] ??= authority.port();
    } else {
      h['x-forwarded-for'] = peer;
      h['x-forwarded-proto'] = scheme;
      h['x-forwarded-host'] = publicHost;
      h['x-forwarded-port'] = authority.port();
    }
    h['x-request-id'] = request.id;
    h.host = ctx.route?.preserveHost ? publicHost : targetHost;
    return h as IncomingHttpHeaders;
  }

  function onResponse(_request: GatewayRequest, reply: GatewayReply, res: ProxiedResponse): void {
    sendUpstream(reply, res);
  }

  function onError(reply: GatewayReply, err: Error): void {
    const request = reply.request;
    // The target was already settled (passive checks, breaker) by the attempt settler.
    const classified = classifyUpstreamError(err);
    input.onUpstreamError(request, classified.reason, err);
    sendOwnError(reply, classified.code);
  }

  return {
    requestHeaders,
    onResponse,
    onError,
    settle: buildAttemptSettler(input.onRetry ?? (() => undefined)),
  };
}
