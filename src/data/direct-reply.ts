/** Replies written on the raw response (head and body in as few writes as possible), for the two hot paths: proxied and cached. */
import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { UpstreamBody } from './upstream-body.js';

/** An upstream response as reply-from hands it to onResponse: `stream` is our UpstreamBody. */
export interface ProxiedResponse {
  statusCode: number;
  /** Already rewritten (hop-by-hop removed, X-Request-Id set); not copied onto the reply. */
  headers: IncomingHttpHeaders;
  stream: UpstreamBody;
}

/**
 * Takes the response over from fastify and writes its head: `headers` plus Gerbang's own on the reply (HSTS,
 * Cache-Status, Connection: close), which win. fastify's header-by-header API and its send pipeline (stream
 * watchers, payload checks) were a measurable share of a request; its onResponse hooks (access log, metrics)
 * still run, as they listen on the raw response's `finish`.
 */
export function writeHeadDirect(
  reply: FastifyReply,
  status: number,
  headers: OutgoingHttpHeaders,
): ServerResponse {
  const own = reply.getHeaders();
  for (const name in own) headers[name] = own[name] as OutgoingHttpHeaders[string];
  reply.hijack();
  const out = reply.raw;
  out.writeHead(status, headers);
  return out;
}

/** Sends a proxied response, its body streamed from the backend with backpressure. */
export function sendUpstream(reply: FastifyReply, res: ProxiedResponse): void {
  const body = res.stream;
  // reply-from has already answered (a status fastify refuses, such as 799, became a 502): drop the body.
  if (reply.sent) {
    body.destroy();
    return;
  }
  const out = writeHeadDirect(reply, reply.statusCode, res.headers as OutgoingHttpHeaders);
  // The client went away mid-body: stop reading from the backend.
  out.once('close', () => {
    if (!out.writableFinished) body.destroy();
  });
  body.pipe(out);
}
