/** The proxied request on undici's dispatch API: one upstream exchange per attempt, the one retry, the answer handed to its writer. */
import type { IncomingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { type AttemptSettler, beginAttempt } from '../health/upstream-attempts.js';
import { CLIENT_ABORTED_CODE, clientFault } from '../limits/client-fault.js';
import type { GatewayReply, GatewayRequest } from '../routing/exchange.js';
import type { TargetState } from './balancer.js';
import { carriesBody } from './carries-body.js';
import type { ProxiedResponse } from './direct-reply.js';
import { forwardEarlyHints } from './early-hints.js';
import type { UpstreamBody, UpstreamReceiver, UpstreamResponse } from './upstream-body.js';
import type { UpstreamPools, UpstreamRequest } from './upstream-pools.js';

/** What a caller of forward() decides: the headers sent, what is done with the answer, and the attempts' bookkeeping. */
export interface ProxyHooks {
  /** The upstream request's fields from the client's; `targetHost` is what Host says unless the route preserves it. */
  requestHeaders(
    request: GatewayRequest,
    headers: IncomingHttpHeaders,
    targetHost: string,
  ): IncomingHttpHeaders;
  /** The response head came (status already set on the reply); the body is the hook's to send or drop. */
  onResponse(request: GatewayRequest, reply: GatewayReply, res: ProxiedResponse): void;
  /** No usable response came (after the retry, if there was one); the reply is not sent yet. */
  onError(reply: GatewayReply, err: Error): void;
  settle: AttemptSettler;
}

/** The error a status outside 100–599 becomes: the backend's answer cannot be relayed as it is. */
const BAD_STATUS_CODE = 'GERBANG_UPSTREAM_BAD_STATUS';

/** The host part of a normalised origin (`http://a:8080` → `a:8080`); target origins carry no default port. */
function hostOf(origin: string): string {
  return origin.slice(origin.indexOf('//') + 2);
}

/** Whether `needle` occurs in `text` before `end` (-1: anywhere), without slicing. */
function occursBefore(text: string, needle: string, end: number): boolean {
  const at = text.indexOf(needle);
  return at >= 0 && (end < 0 || at < end);
}

/**
 * True when the path (`url` up to `q`, the index of `?`, -1 without one) could climb out of where the route put it
 * once a backend decodes it: a `..` segment in any spelling, or an escape that does not decode. Only the path: a
 * query may hold anything (`?next=/a/../b`).
 */
export function climbsOut(url: string, q: number): boolean {
  if (!occursBefore(url, '..', q) && !occursBefore(url, '%', q)) return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(q < 0 ? url : url.slice(0, q));
  } catch {
    return true;
  }
  for (const segment of decoded.split('/')) if (segment === '..') return true;
  return false;
}

function sendAgain(exchange: ProxyExchange): void {
  exchange.send();
}

/**
 * One client request on its way to the backends. It is its own receiver of the upstream answer, so an attempt
 * costs one object and no closure; a refused or reset idempotent request without body goes once more, to the
 * target the settler picked.
 */
class ProxyExchange implements UpstreamReceiver {
  /** The attempt in flight, until its answer (or failure) comes. */
  #pending: UpstreamBody | undefined;
  /**
   * A client that leaves before the answer frees the backend at once: else the request stayed in flight (holding a
   * backend connection and the client's slot) until the backend answered or the route's response timeout.
   * (undici 7.30 then dials one idle spare connection in its place, nodejs/undici#5845: bounded by the pool.)
   */
  readonly #onClientClose = (): void => {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.destroy(clientFault('the client left before the backend answered', CLIENT_ABORTED_CODE));
  };

  constructor(
    private readonly request: GatewayRequest,
    private readonly reply: GatewayReply,
    private readonly hooks: ProxyHooks,
    private readonly pools: UpstreamPools,
    private readonly upstream: UpstreamRequest,
  ) {
    // `on`, not `once`: a response closes once, and once() wraps the listener in a closure of its own.
    reply.raw.on('close', this.#onClientClose);
  }

  send(): void {
    this.pools.request(this.upstream, this);
  }

  upstreamStarted(body: UpstreamBody): void {
    this.#pending = body;
  }

  /** A backend's 103: its Link fields reach the client ahead of the final response (early-hints.ts). */
  upstreamEarlyHints(rawHeaders: Buffer[]): void {
    if (!this.reply.sent) forwardEarlyHints(this.reply.raw, rawHeaders);
  }

  upstreamResponded(err: Error | null, res: UpstreamResponse | undefined): void {
    const { request, reply, hooks } = this;
    this.#pending = undefined;
    if (err !== null || res === undefined) {
      const failure = err ?? new Error('no upstream response');
      // No second attempt for a client that is gone.
      const next = hooks.settle(request, failure, 0, !reply.sent && !reply.raw.destroyed);
      if (next !== undefined) {
        this.upstream.origin = next.origin;
        if (request.gerbang.route?.preserveHost !== true) this.upstream.headers.host = hostOf(next.origin);
        // Off undici's error callback: the next attempt starts on a clean stack.
        setImmediate(sendAgain, this);
        return;
      }
      // Also for a client that left: the hook settles what waits on this exchange (the cache's coalesced misses).
      if (!reply.sent) hooks.onError(reply, failure);
      return;
    }
    const status = res.statusCode;
    hooks.settle(request, undefined, status, false);
    // The client left before the answer came: nothing to send, and the backend is not read any further.
    // (`aborted` is what an HTTP/2 stream's compat request tells; an HTTP/1 response is destroyed with its socket.)
    if (reply.sent || reply.raw.destroyed || request.raw.aborted) {
      res.stream.destroy();
      return;
    }
    const ctx = request.gerbang;
    ctx.upstreamMs = performance.now() - ctx.upstreamStart;
    if (!(status >= 100 && status <= 599)) {
      res.stream.destroy();
      const err = Object.assign(new Error(`the backend answered with status ${status}`), {
        code: BAD_STATUS_CODE,
      });
      hooks.onError(reply, err);
      return;
    }
    reply.code(status);
    const raw = request.raw;
    // An HTTP/1 connection cannot take the next request before this one's body is read to its end. An HTTP/2
    // stream is one request (and its compat request is never `complete` unless read): the field would only be
    // stripped again, at the cost of a copy of the head.
    if (!raw.complete && raw.httpVersionMajor < 2) reply.header('connection', 'close');
    // Hop-by-hop fields were left out when the head was parsed (UpstreamBody); the writer sends the rest.
    res.headers['x-request-id'] = request.id;
    hooks.onResponse(request, reply, res);
  }
}

/**
 * Sends the client's request to `target` at `path` (origin-form, query included; `q` the index of its `?`, -1
 * without one) and hands the answer to the hooks. False, with nothing sent, when the path could climb out of the
 * route (the caller answers 400).
 */
export function forward(
  request: GatewayRequest,
  reply: GatewayReply,
  pools: UpstreamPools,
  target: TargetState,
  path: string,
  q: number,
  hooks: ProxyHooks,
): boolean {
  if (climbsOut(path, q)) return false;
  const raw = request.raw;
  const ctx = request.gerbang;
  const headers = hooks.requestHeaders(request, raw.headers, hostOf(target.origin));
  // fastify leaves a GET's or HEAD's body unread (its routes take none): such a body is streamed on as any other.
  const body = (request.body as Readable | undefined) ?? (carriesBody(raw) ? raw : undefined);
  const upstream: UpstreamRequest = {
    origin: target.origin,
    path,
    method: raw.method ?? 'GET',
    headers,
    body: body ?? undefined,
    timeouts: ctx.route?.timeouts,
    client: raw,
  };
  beginAttempt(request);
  ctx.upstreamStart = performance.now();
  new ProxyExchange(request, reply, hooks, pools, upstream).send();
  return true;
}
