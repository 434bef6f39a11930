/** Sends a proxied response: the status and headers reply-from set on the reply, then the body straight onto the socket. */
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { UpstreamBody } from './upstream-body.js';

/**
 * `reply.send(stream)` pipes through fastify's stream machinery (end-of-stream watchers, a separate write for
 * the head); writing the head and the body's chunks on the raw response is the same bytes for less work.
 * fastify's onResponse hooks (access log, metrics) still run: they listen on the raw response's `finish`.
 */
export function sendUpstream(reply: FastifyReply, body: UpstreamBody): void {
  reply.hijack();
  const out = reply.raw;
  out.writeHead(reply.statusCode, reply.getHeaders() as OutgoingHttpHeaders);
  // The client went away mid-body: stop reading from the backend.
  out.once('close', () => {
    if (!out.writableFinished) body.destroy();
  });
  body.pipe(out);
}
