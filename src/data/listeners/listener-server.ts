/** The Node server behind a public listener, built by Gerbang so a front can see requests before fastify does; it carries the security baseline. */
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { GatewayConfig, Http2Config } from '../../config/schema.js';
import { type ConnectionCut, guardConnections } from '../limits/connection-guard.js';
import type { TrustCheck } from '../routing/trusted-proxies.js';
import { createHttp2Listener } from './h2-server.js';
import { takesUpgrade } from './h2c-upgrade.js';

export interface ListenerGuardOptions {
  /** Peers exempt from the per-address connection cap (trusted proxies). */
  exempt: TrustCheck;
  onCut?: (reason: ConnectionCut) => void;
}

/**
 * Strict parser and bounded headers on both listeners (fastify applies its `http` options to plain HTTP only),
 * and the timeouts that stop slow clients. `maxRequestsPerConnection` 0 leaves Node's default (no limit).
 * With `http2` on, HTTPS is an HTTP/2 server that also speaks http/1.1 (h2-server.ts): the same bounds, and the
 * connection guard sees its sockets alike.
 */
export function createListenerServer(
  limits: GatewayConfig['limits'],
  tls: TlsOptions | undefined,
  listener: RequestListener,
  guard: ListenerGuardOptions = { exempt: () => false },
  http2?: Http2Config,
): Server {
  const baseline = { maxHeaderSize: limits.maxHeaderSize, insecureHTTPParser: false };
  const server: Server =
    tls === undefined
      ? createHttpServer(baseline, listener)
      : http2?.enabled
        ? createHttp2Listener(limits, tls, http2, listener, guard.onCut)
        : (createHttpsServer(
            // Node's handshakeTimeout is a deadline from the TCP connection, not an idle timer.
            { ...tls, ...baseline, handshakeTimeout: limits.tlsHandshakeTimeoutMs },
            listener,
          ) as unknown as Server);
  // Node 24 reads it for each request that asks to upgrade (@types/node lists it as an option only).
  (server as Server & { shouldUpgradeCallback: typeof takesUpgrade }).shouldUpgradeCallback = takesUpgrade;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  if (limits.maxRequestsPerConnection > 0) server.maxRequestsPerSocket = limits.maxRequestsPerConnection;
  guardConnections(server, {
    tls: tls !== undefined,
    firstByteTimeoutMs: limits.firstByteTimeoutMs,
    maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
    exempt: guard.exempt,
    ...(guard.onCut ? { onCut: guard.onCut } : {}),
  });
  return server;
}
