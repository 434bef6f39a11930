/** Bookkeeping of each upstream attempt (in flight, passive checks, breaker) and the one retry on another target. */
import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import type { TargetState } from '../proxy/balancer.js';
import { classifyUpstreamError, type UpstreamFailure } from '../proxy/upstream-errors.js';
import { UPSTREAM_REQUEST } from '../proxy/upstream-pools.js';
import type { AttemptOutcome } from './target-state.js';

/** RFC 9110 §9.2.2: a request that may be sent twice without a different effect. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** The request object reply-from hands to its retry hook and sends again when the hook returns a delay. */
interface AttemptRequest {
  url: URL;
  headers: Record<string | symbol, unknown>;
}

export interface RetryHookArgs {
  err?: Error | null;
  req: AttemptRequest;
  res?: { statusCode: number } | null;
}

/** reply-from waits this long before a retry; 0 would mean "no retry" to it. */
const RETRY_DELAY_MS = 1;

const OUTCOME: Record<UpstreamFailure, AttemptOutcome> = {
  refused: 'refused',
  timeout: 'timeout',
  reset: 'reset',
  tls: 'other',
  dns: 'other',
  client: 'other',
  other: 'other',
};

/** Marks the context's target in flight for the attempt about to leave (once per attempt). */
export function beginAttempt(request: FastifyRequest, headers: Record<string | symbol, unknown>): void {
  const ctx = request.gerbang;
  const target = ctx.target;
  if (target === undefined || ctx.acquired !== undefined) return;
  ctx.acquired = target;
  ctx.probe = target.acquire();
  headers[UPSTREAM_REQUEST] = request;
}

function mayRetry(request: FastifyRequest): boolean {
  const raw = request.raw;
  if (!IDEMPOTENT.has(raw.method ?? '')) return false;
  // A body may already be on its way: never sent twice.
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

export type RetryListener = (request: FastifyRequest, reason: UpstreamFailure, from: TargetState) => void;

/**
 * reply-from's retry hook, called once per attempt whatever its end: settles the attempt's target and, for an
 * idempotent request without body whose connection was refused or reset before any response, answers a delay
 * after which the same request goes once more — to another healthy target, rewritten here.
 */
export function buildAttemptHook(onRetry: RetryListener): (args: RetryHookArgs) => number | null {
  return ({ err, req, res }) => {
    const request = req.headers[UPSTREAM_REQUEST] as FastifyRequest | undefined;
    if (request === undefined) return null;
    const ctx = request.gerbang;
    const target = ctx.acquired;
    if (target === undefined) return null;
    ctx.acquired = undefined;
    const now = performance.now();
    const latency = now - ctx.upstreamStart;
    if (err === undefined || err === null) {
      const status = res?.statusCode ?? 0;
      target.settle(
        now,
        latency,
        status < 500 ? 'ok' : status <= 504 && status >= 502 ? 'status' : 'server_error',
        ctx.probe,
      );
      return null;
    }
    const reason = classifyUpstreamError(err).reason;
    // What the client did (a cut body, its cap) says nothing about the target: no verdict, no retry.
    if (reason === 'client') {
      target.release(ctx.probe);
      return null;
    }
    target.settle(now, latency, OUTCOME[reason], ctx.probe);
    if ((reason !== 'refused' && reason !== 'reset') || ctx.retried || !mayRetry(request)) return null;
    const route = ctx.route;
    if (route === undefined) return null;
    const balancer = route.balancer;
    const client = balancer.policy === 'clientHash' ? request.raw.socket.remoteAddress : undefined;
    const next = balancer.choose(now, client, target);
    if (next === undefined) return null;
    ctx.retried = true;
    ctx.target = next;
    ctx.acquired = next;
    ctx.probe = next.acquire();
    ctx.upstreamStart = now;
    // Concatenation, not new URL(path, base): a path starting with // must stay a path.
    req.url = new URL(next.origin + req.url.pathname);
    if (!route.preserveHost) req.headers.host = req.url.host;
    onRetry(request, reason, target);
    return RETRY_DELAY_MS;
  };
}
