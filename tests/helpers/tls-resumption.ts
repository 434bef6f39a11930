/** TLS session resumption from the client's side: one handshake offering a saved session, and what came of it. */
import { type ConnectionOptions, connect } from 'node:tls';

export interface Resumption {
  reused: boolean;
  /** The newest session the server handed out on this connection (a ticket), if any. */
  session: Buffer | undefined;
  /** The first 16 bytes of that ticket: the name of the key it is sealed with (RFC 5077 §4's layout, OpenSSL's). */
  ticketKeyName: string | undefined;
}

/** Connects (TLS 1.3 unless told), offers `session`, sends a little request so the server's tickets arrive, closes. */
export function resume(port: number, session?: Buffer, options: ConnectionOptions = {}): Promise<Resumption> {
  return new Promise((resolve, reject) => {
    let reused = false;
    let latest: Buffer | undefined;
    let ticketKeyName: string | undefined;
    const socket = connect({
      host: '127.0.0.1',
      port,
      servername: 'resume.paserkab.go.id',
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      ...(session === undefined ? {} : { session }),
      ...options,
    });
    socket.on('session', (s: Buffer) => {
      latest = s;
      ticketKeyName = socket.getTLSTicket()?.subarray(0, 16).toString('hex');
    });
    socket.once('secureConnect', () => {
      reused = socket.isSessionReused();
      socket.write('GET / HTTP/1.1\r\nHost: resume.paserkab.go.id\r\nConnection: close\r\n\r\n');
    });
    socket.on('data', () => undefined);
    socket.setTimeout(10_000, () => socket.destroy(new Error('TLS exchange timeout')));
    socket.once('error', reject);
    socket.once('close', () => resolve({ reused, session: latest, ticketKeyName }));
  });
}
