/** The HTTPS listener's server when HTTP/2 is on: h2 and http/1.1 by ALPN on one port (node:http2, allowHTTP1), each with its bounds. */
import { Server as HttpServer, type RequestListener, type Server } from 'node:http';
import { constants, createSecureServer, type Http2SecureServer } from 'node:http2';
import type { TlsOptions } from 'node:tls';
import type { GatewayConfig, Http2Config } from '../../config/schema.js';
import { EdgeHttp2Response } from './h2-response.js';
import { guardSessions, type SessionCut } from './h2-session-guard.js';

/** What fastify and the drain call on a listener's server; http.Server has them, an Http2SecureServer does not. */
interface ConnectionClosers {
  closeIdleConnections(): void;
  closeAllConnections(): void;
  /** fastify calls it on close: every session gets GOAWAY and ends once its open streams have. */
  closeHttp2Sessions(): void;
}

export function createHttp2Listener(
  limits: GatewayConfig['limits'],
  tls: TlsOptions,
  h2: Http2Config,
  listener: RequestListener,
  onCut: ((reason: SessionCut) => void) | undefined,
): Server {
  const server: Http2SecureServer = createSecureServer(
    {
      ...tls,
      ALPNProtocols: ['h2', 'http/1.1'],
      allowHTTP1: true,
      // Node's handshakeTimeout is a deadline from the TCP connection, not an idle timer.
      handshakeTimeout: limits.tlsHandshakeTimeoutMs,
      // The HTTP/1.1 side: Node applies http.Server's options to the connections that chose http/1.1.
      maxHeaderSize: limits.maxHeaderSize,
      insecureHTTPParser: false,
      settings: {
        maxConcurrentStreams: h2.maxConcurrentStreams,
        initialWindowSize: h2.initialStreamWindowBytes,
        maxHeaderListSize: h2.maxHeaderListBytes,
        enablePush: false,
      },
      Http2ServerResponse: EdgeHttp2Response,
    } as Parameters<typeof createSecureServer>[0],
    listener as unknown as Parameters<typeof createSecureServer>[1],
  );
  // Its timeouts and request cap are set by createListenerServer, as on the other listeners.
  const h1 = server as unknown as Server;
  const sessions = guardSessions(server, {
    connectionWindowBytes: h2.initialConnectionWindowBytes,
    idleTimeoutMs: h2.idleTimeoutMs,
    settingsTimeoutMs: limits.headersTimeoutMs,
    maxClientResets: h2.maxClientResets,
    maxStreams: limits.maxRequestsPerConnection,
    onCut,
  });
  // Node tracks the http/1.1 connections of an allowHTTP1 server as http.Server does: its closers work on them.
  const closers: ConnectionClosers = {
    closeIdleConnections: () => HttpServer.prototype.closeIdleConnections.call(h1),
    closeAllConnections: () => {
      HttpServer.prototype.closeAllConnections.call(h1);
      for (const session of sessions) session.destroy(undefined, constants.NGHTTP2_NO_ERROR);
    },
    closeHttp2Sessions: () => {
      for (const session of sessions) session.close();
    },
  };
  return Object.assign(h1, closers);
}
