/** The reply-from options of a listener, built once: header rewriting both ways, upstream timing, failure handling. */

import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { beginAttempt, buildAttemptHook } from '../health/upstream-attempts.js';
import { sendOwnError } from '../pages/own-replies.js';
import type { PublicAuthority } from '../routing/public-authority.js';
import type { TrustCheck } from '../routing/trusted-proxies.js';
import type { TargetState } from './balancer.js';
import { isAlwaysDropped, isClientClaim } from './client-claims.js';
import { type ProxiedResponse, sendUpstream } from './direct-reply.js';
import { connectionNamed, HOP_BY_HOP } from './hop-by-hop.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';
import { ROUTE_TIMEOUTS } from './upstream-pools.js';

export interface ProxyOptionsInput {
  scheme: 'http' | 'https';
  /** The listener's public authority: Host (preserveHost) and X-Forwarded-Host/-Port are built from it. */
  authority: PublicAuthority;
  isTrusted: TrustCheck;
  onUpstreamError: (request: FastifyRequest, reason: UpstreamFailure, err: unknown) => void;
  /** An attempt failed before any response and the request went once more to another target. */
  onRetry?: (request: FastifyRequest, reason: UpstreamFailure, from: TargetState) => void;
}

type Headers = Record<string, unknown>;

const NOTHING_TO_COPY: IncomingHttpHeaders = Object.freeze({});

/** Request fields never passed on: hop-by-hop ones and the client's credentials for a proxy. */
const NEVER_FORWARDED = new Set([...HOP_BY_HOP, 'proxy-authorization']);

/**
 * reply-from retries on its own (GETs on 503 up to ten times, same target); a gateway must not. Its retry hook is
 * instead where every attempt is settled, and where a refused or reset idempotent request is sent once more to
 * another target (health/upstream-attempts.ts).
 */

export function buildProxyOptions(input: ProxyOptionsInput): FastifyReplyFromHooks {
  const { scheme, isTrusted, authority } = input;

  /**
   * The upstream request's headers, built as a fresh object in one pass: adding the X-Forwarded-* keys to the
   * copy reply-from hands us reshaped it key by key, which was the largest piece of Gerbang's own time.
   */
  function rewriteRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
    const raw = request.raw;
    const ctx = request.gerbang;
    const peer = raw.socket.remoteAddress ?? '';
    const trusted = isTrusted(peer);
    const named = connectionNamed(headers.connection);
    const h: Headers = {};
    for (const name in headers) {
      if (NEVER_FORWARDED.has(name) || named?.has(name) || isAlwaysDropped(name)) continue;
      // An untrusted client cannot speak for anyone but itself: its claims about the way it came are dropped.
      if (!trusted && isClientClaim(name)) continue;
      h[name] = headers[name];
    }
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
    const route = ctx.route;
    if (route !== undefined) {
      if (route.preserveHost) h.host = publicHost;
      h[ROUTE_TIMEOUTS as unknown as string] = route.timeouts;
    }
    ctx.upstreamStart = performance.now();
    beginAttempt(request, h as Record<string | symbol, unknown>);
    return h as IncomingHttpHeaders;
  }

  /**
   * Completes the upstream response's headers in place and gives reply-from nothing to copy onto the reply:
   * sendUpstream writes them with the head (a header-by-header copy into fastify's reply was measurable).
   */
  function rewriteHeaders(headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders {
    // Hop-by-hop fields were left out when the head was parsed (UpstreamBody).
    headers['x-request-id'] = request.id;
    return NOTHING_TO_COPY;
  }

  function onResponse(request: FastifyRequest, reply: FastifyReply, res: ProxiedResponse): void {
    const ctx = request.gerbang;
    ctx.upstreamMs = performance.now() - ctx.upstreamStart;
    sendUpstream(reply, res);
  }

  function onError(reply: FastifyReply, { error }: { error: Error }): void {
    const request = reply.request;
    // The target was already settled (passive checks, breaker) by the attempt hook.
    const classified = classifyUpstreamError(error);
    input.onUpstreamError(request, classified.reason, error);
    sendOwnError(reply, classified.code);
  }

  return {
    rewriteRequestHeaders,
    rewriteHeaders,
    onResponse,
    onError,
    retryDelay: buildAttemptHook(input.onRetry ?? (() => undefined)),
  } as unknown as FastifyReplyFromHooks;
}
