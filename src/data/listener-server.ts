/** The Node server behind a public listener, built by Gerbang so a front can see requests before fastify does; it carries the security baseline. */
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { GatewayConfig } from '../config/schema.js';

/**
 * Strict parser and bounded headers on both listeners (fastify applies its `http` options to plain HTTP only),
 * and the timeouts that stop slow clients. `maxRequestsPerConnection` 0 leaves Node's default (no limit).
 */
export function createListenerServer(
  limits: GatewayConfig['limits'],
  tls: TlsOptions | undefined,
  listener: RequestListener,
): Server {
  const baseline = { maxHeaderSize: limits.maxHeaderSize, insecureHTTPParser: false };
  const server: Server =
    tls === undefined
      ? createHttpServer(baseline, listener)
      : (createHttpsServer({ ...tls, ...baseline }, listener) as unknown as Server);
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  if (limits.maxRequestsPerConnection > 0) server.maxRequestsPerSocket = limits.maxRequestsPerConnection;
  return server;
}
