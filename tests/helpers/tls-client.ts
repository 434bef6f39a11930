/** A real TLS client for tests: handshake facts (protocol, ALPN, peer certificate, trust) and HTTPS requests with any SNI. */
import { request as httpsRequest } from 'node:https';
import { type ConnectionOptions, connect, type PeerCertificate } from 'node:tls';

export interface Handshake {
  authorized: boolean;
  authorizationError: string | undefined;
  protocol: string | null;
  alpn: string | false | null;
  peer: PeerCertificate;
}

/** Completes a handshake (or rejects with the TLS error) and closes the socket. */
export function handshake(port: number, options: ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options }, () => {
      const result: Handshake = {
        authorized: socket.authorized,
        authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
        protocol: socket.getProtocol(),
        alpn: socket.alpnProtocol ?? null,
        peer: socket.getPeerCertificate(),
      };
      socket.end();
      resolve(result);
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('TLS handshake timeout')));
    socket.once('error', reject);
  });
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET over HTTPS to the listener on `port`, with SNI and Host = `host`; trusts only `ca` when given. */
export function httpsGet(
  port: number,
  host: string,
  path = '/',
  ca?: string,
  headers: Record<string, string> = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: host,
        headers: { ...headers, host },
        agent: false,
        ...(ca ? { ca, rejectUnauthorized: true } : { rejectUnauthorized: false }),
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    req.end();
  });
}
