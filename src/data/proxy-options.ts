/** The reply-from options of a listener, built once: header rewriting both ways, upstream timing, failure handling. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyReplyFromHooks } from '@fastify/reply-from';
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { markRefused } from './balancer.js';
import { stripHopByHop } from './hop-by-hop.js';
import { sendOwnError } from './own-replies.js';
import type { TrustCheck } from './trusted-proxies.js';
import { classifyUpstreamError, type UpstreamFailure } from './upstream-errors.js';
import { ROUTE_TIMEOUTS } from './upstream-pools.js';

export interface ProxyOptionsInput {
  scheme: 'http' | 'https';
  isTrusted: TrustCheck;
  onUpstreamError: (request: FastifyRequest, reason: UpstreamFailure, err: unknown) => void;
}

type Headers = Record<string, unknown>;

/** reply-from retries on its own (GETs on 503 up to ten times); a gateway must not, so every retry is declined. */
const NO_RETRY = () => null;

export function buildProxyOptions(input: ProxyOptionsInput): FastifyReplyFromHooks {
  const { scheme, isTrusted } = input;

  function rewriteRequestHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
    const h = headers as Headers;
    const raw = request.raw;
    const ctx = request.gerbang;
    stripHopByHop(h);
    delete h['proxy-authorization'];
    const peer = raw.socket.remoteAddress ?? '';
    if (isTrusted(peer)) {
      const prior = h['x-forwarded-for'];
      h['x-forwarded-for'] = typeof prior === 'string' && prior ? `${prior}, ${peer}` : peer;
      h['x-forwarded-proto'] ??= scheme;
      h['x-forwarded-host'] ??= raw.headers.host;
    } else {
      // An untrusted client cannot speak for anyone but itself.
      delete h.forwarded;
      delete h['x-real-ip'];
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
    return headers;
  }

  function rewriteHeaders(headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders {
    stripHopByHop(headers as Headers);
    headers['x-request-id'] = request.id;
    return headers;
  }

  function onResponse(request: FastifyRequest, reply: FastifyReply, res: { stream: NodeJS.ReadableStream }): void {
    const ctx = request.gerbang;
    ctx.upstreamMs = performance.now() - ctx.upstreamStart;
    reply.send(res.stream);
  }

  function onError(reply: FastifyReply, { error }: { error: Error }): void {
    const request = reply.request;
    const classified = classifyUpstreamError(error);
    const target = request.gerbang.target;
    if (classified.reason === 'refused' && target !== undefined) markRefused(target, performance.now());
    input.onUpstreamError(request, classified.reason, error);
    sendOwnError(reply, classified.code);
  }

  return {
    rewriteRequestHeaders,
    rewriteHeaders,
    onResponse,
    onError,
    retryDelay: NO_RETRY,
  } as unknown as FastifyReplyFromHooks;
}
