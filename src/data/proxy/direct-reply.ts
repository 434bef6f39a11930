/** Proxied responses written on the raw response: the head in one go, then the body as it comes from the backend. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { dropOwnTargetedField } from '../cache/targeted-cache-control.js';
import { compressResponse } from '../compression/compress-response.js';
import { applyResponseHeaders } from '../policy/response-headers.js';
import type { GatewayReply } from '../routing/exchange.js';
import type { UpstreamBody } from './upstream-body.js';

/** An upstream response as forward() hands it to its onResponse hook: `stream` is our UpstreamBody. */
export interface ProxiedResponse {
  statusCode: number;
  /** Already rewritten (hop-by-hop removed, X-Request-Id set); not copied onto the reply. */
  headers: IncomingHttpHeaders;
  stream: UpstreamBody;
}

/**
 * Takes the response over from fastify: its header-by-header API and its stream pipeline (end-of-stream
 * watchers, a separate write for the head) were a measurable share of a request. Gerbang's own headers on
 * the reply (HSTS, Cache-Status, Connection: close) win over the upstream's. The access log and metrics come
 * from the listener's observer when the raw response closes, on either path (request-observer.ts).
 */
export function sendUpstream(reply: GatewayReply, res: ProxiedResponse): void {
  const body = res.stream;
  // Something already answered the client: the backend's body is not wanted.
  if (reply.sent) {
    body.destroy();
    return;
  }
  const headers = res.headers as OutgoingHttpHeaders;
  // Gerbang-Cache-Control steers Gerbang's cache only (the cache read it before this point): never passed on.
  dropOwnTargetedField(headers);
  // The host's header policy, on the way out only: the cache stores what the backend sent.
  applyResponseHeaders(reply.request.gerbang.route?.responseHeaders, headers);
  const own = reply.getHeaders();
  for (const name in own) headers[name] = own[name] as OutgoingHttpHeaders[string];
  reply.hijack();
  const out = reply.raw;
  // An HTTP/2 stream the client reset before the backend answered has closed already and emits no 'close' now.
  if ((out as { stream?: { destroyed?: boolean } }).stream?.destroyed === true) {
    body.destroy();
    return;
  }
  // Compression at the edge: decides, rewrites the head (Content-Encoding, Vary, ETag) and wraps the sink.
  // The defacement watch copies its host's sampled HTML on the way (bounded), judged on the backend's own head.
  const tap = reply.server.gerbangDefacement?.tap(reply, headers);
  const compressed = compressResponse(reply, reply.statusCode, headers, out);
  const sink = tap === undefined ? compressed : tap(compressed);
  out.writeHead(reply.statusCode, headers);
  // The client went away mid-body: stop reading from the backend.
  const leave = (): void => {
    if (!out.writableFinished) body.destroy();
  };
  // `on`, not `once`: a response closes once, and once() wraps every listener in a closure of its own.
  out.on('close', leave);
  // A pipelined response still queued behind an earlier one has no socket yet and never emits 'close' when
  // the client leaves; Node destroys its request then, so that is what tells it.
  if (out.socket === null) reply.request.raw.once('close', leave);
  // A client that stops reading holds the backend no longer than the route's idle timeout.
  body.pipe(sink, reply.request.gerbang.route?.timeouts.idleMs ?? 0);
}
