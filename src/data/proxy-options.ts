/** The reply-from options of a listener, built once: header rewriting both ways, upstream timing, failure handling. */

import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TargetState } from './balancer.js';
import { type ProxiedResponse, sendUpstream } from './direct-reply.js';
import { beginAttempt, buildAttemptHook } from './health/upstream-attempts.js';
import { stripHopByHop } from './hop-by-hop.js';
import { sendOwnError } from './own-replies.js';
import type { TrustCheck } from './trusted-proxies.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';
import { ROUTE_TIMEOUTS } from './upstream-pools.js';

export interface ProxyOptionsInput {
  scheme: 'http' | 'https';
  isTrusted: TrustCheck;
  onUpstreamError: (request: FastifyRequest, reason: UpstreamFailure, err: unknown) => void;
  /** An attempt failed before any response and the request went once more to another target. */
  onRetry?: (request: FastifyRequest, reason: UpstreamFailure, from: TargetState) => void;
}

type Headers = Record<string, unknown>;

const NOTHING_TO_COPY: IncomingHttpHeaders = Object.freeze({});

/**
 * reply-from retries on its own (GETs on 503 up to ten times, same target); a gateway must not. Its retry hook is
 * instead where every attempt is settled, and where a refused or reset idempotent request is sent once more to
 * another target (health/upstream-attempts.ts).
 */

export function buildProxyOptions(input: ProxyOptionsInput): FastifyReplyFromHooks {
  const { scheme, isTrusted } = input;

  function rewriteRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
    const h = headers as Headers;
    const raw = request.raw;
    const ctx = request.gerbang;
    stripHopByHop(h);
    // `delete` only what is there: an absent key costs nothing to check, a delete reshapes the object.
    if (h['proxy-authorization'] !== undefined) delete h['proxy-authorization'];
    const peer = raw.socket.remoteAddress ?? '';
    if (isTrusted(peer)) {
      const prior = h['x-forwarded-for'];
      h['x-forwarded-for'] = typeof prior === 'string' && prior ? `${prior}, ${peer}` : peer;
      h['x-forwarded-proto'] ??= scheme;
      h['x-forwarded-host'] ??= raw.headers.host;
    } else {
      // An untrusted client cannot speak for anyone but itself.
      if (h.forwarded !== undefined) delete h.forwarded;
      if (h['x-real-ip'] !== undefined) delete h['x-real-ip'];
      h['x-forwarded-for'] = peer;
      h['x-forwarded-proto'] = scheme;
      h['x-forwarded-host'] = raw.headers.host;
    }
    h['x-request-id'] = request.id;
    const route = ctx.route;
    if (route !== undefined) {
      if (route.preserveHost) h.host = raw.headers.host;
      h[ROUTE_TIMEOUTS as unknown as string] = route.timeouts;
    }
    ctx.upstreamStart = performance.now();
    beginAttempt(request, h as Record<string | symbol, unknown>);
    return headers;
  }

  /**
   * Rewrites the upstream response's headers in place and gives reply-from nothing to copy onto the reply:
   * sendUpstream writes them with the head (a header-by-header copy into fastify's reply was measurable).
   */
  function rewriteHeaders(headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders {
    stripHopByHop(headers as Headers);
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
