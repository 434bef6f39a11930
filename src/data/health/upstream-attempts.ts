/** Bookkeeping of each upstream attempt (in flight, passive checks, breaker) and the one retry on another target. */
import { performance } from 'node:perf_hooks';
import type { TargetState } from '../proxy/balancer.js';
import { classifyUpstreamError, type UpstreamFailure } from '../proxy/upstream-errors.js';
import type { GatewayRequest } from '../routing/exchange.js';
import type { AttemptOutcome } from './target-state.js';

/** RFC 9110 §9.2.2: a request that may be sent twice without a different effect. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

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
export function beginAttempt(request: GatewayRequest): void {
  const ctx = request.gerbang;
  const target = ctx.target;
  if (target === undefined || ctx.acquired !== undefined) return;
  ctx.acquired = target;
  ctx.probe = target.acquire();
}

function mayRetry(request: GatewayRequest): boolean {
  const raw = request.raw;
  if (!IDEMPOTENT.has(raw.method ?? '')) return false;
  // A body may already be on its way: never sent twice.
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
}

export type RetryListener = (request: GatewayRequest, reason: UpstreamFailure, from: TargetState) => void;

/** Settles the attempt that just ended; answers the target to send the request to once more, or undefined. */
export type AttemptSettler = (
  request: GatewayRequest,
  err: Error | undefined,
  status: number,
  retryable: boolean,
) => TargetState | undefined;

/**
 * Called once per attempt whatever its end: settles the attempt's target and, for an idempotent request without
 * body whose connection was refused or reset before any response, picks another healthy target and marks it in
 * flight (the caller sends the same request there). `retryable` false (the client already has an answer) never
 * retries.
 */
export function buildAttemptSettler(onRetry: RetryListener): AttemptSettler {
  return (request, err, status, retryable) => {
    const ctx = request.gerbang;
    const target = ctx.acquired;
    if (target === undefined) return undefined;
    ctx.acquired = undefined;
    const now = performance.now();
    const latency = now - ctx.upstreamStart;
    if (err === undefined) {
      target.settle(
        now,
        latency,
        status < 500 ? 'ok' : status <= 504 && status >= 502 ? 'status' : 'server_error',
        ctx.probe,
      );
      return undefined;
    }
    const reason = classifyUpstreamError(err).reason;
    // What the client did (a cut body, its cap) says nothing about the target: no verdict, no retry.
    if (reason === 'client') {
      target.release(ctx.probe);
      return undefined;
    }
    target.settle(now, latency, OUTCOME[reason], ctx.probe);
    if (!retryable || (reason !== 'refused' && reason !== 'reset') || ctx.retried || !mayRetry(request))
      return undefined;
    const route = ctx.route;
    if (route === undefined) return undefined;
    const balancer = route.balancer;
    const client = balancer.policy === 'clientHash' ? request.raw.socket.remoteAddress : undefined;
    const next = balancer.choose(now, client, target);
    if (next === undefined) return undefined;
    ctx.retried = true;
    ctx.target = next;
    ctx.acquired = next;
    ctx.probe = next.acquire();
    ctx.upstreamStart = now;
    onRetry(request, reason, target);
    return next;
  };
}
