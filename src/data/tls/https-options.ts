/** TLS options of the public HTTPS listener: SNI from the current certificate table, TLS 1.2+, ALPN http/1.1 (the HTTP/2 listener, h2-server.ts, offers h2 first); handshake metrics. */
import type { TLSSocket, TlsOptions, Server as TlsServer } from 'node:tls';
import type { GatewayMetrics } from '../../observability/metrics.js';
import { type CertTableHolder, TLS_POLICY } from './cert-table.js';
import { TLS_SESSION_ID_CONTEXT } from './ticket-key-ring.js';

export function buildHttpsOptions(
  holder: CertTableHolder,
  fallback: { certificate: string; key: string },
): TlsOptions {
  return {
    ...TLS_POLICY,
    // The default context: clients without SNI, before the callback picks another.
    cert: fallback.certificate,
    key: fallback.key,
    // Node's default is a hash of the command line: instances started differently would refuse each other's sessions.
    sessionIdContext: TLS_SESSION_ID_CONTEXT,
    ALPNProtocols: ['http/1.1'],
    SNICallback(servername, callback) {
      callback(null, holder.current.lookup(servername));
    },
  };
}

/** Counts completed handshakes by protocol version (a bounded label: TLSv1.2, TLSv1.3). */
export function observeHandshakes(server: TlsServer, metrics: GatewayMetrics): void {
  server.on('secureConnection', (socket: TLSSocket) => {
    metrics.tlsHandshakes.inc({ version: socket.getProtocol() ?? 'unknown' });
  });
}
