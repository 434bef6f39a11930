/** A real HTTP/2 client for tests (node:http2 over TLS to the HTTPS listener): sessions with any SNI, requests with any :authority. */
import {
  type ClientHttp2Session,
  connect,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';

export interface H2Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Opens an h2 session to 127.0.0.1:`port` with SNI `servername`; trusts only `ca` when given. */
export function h2Session(port: number, servername: string, ca?: string): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = connect(`https://127.0.0.1:${port}`, {
      servername,
      ALPNProtocols: ['h2'],
      ...(ca ? { ca, rejectUnauthorized: true } : { rejectUnauthorized: false }),
    });
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

/** One request on `session`; rejects on a stream error or after `timeoutMs`. */
export function h2Request(
  session: ClientHttp2Session,
  authority: string,
  path = '/',
  headers: OutgoingHttpHeaders = {},
  body?: string | Buffer,
  timeoutMs = 10_000,
): Promise<H2Response> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': body === undefined ? 'GET' : 'POST',
      ':path': path,
      ':authority': authority,
      ...headers,
    });
    const timer = setTimeout(() => stream.close(), timeoutMs);
    let head: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      head = h;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => {
      clearTimeout(timer);
      resolve({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks).toString() });
    });
    stream.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    stream.once('close', () => {
      clearTimeout(timer);
      if (!stream.readableEnded) reject(new Error(`stream closed (rst ${stream.rstCode})`));
    });
    stream.end(body);
  });
}

/** Closes a session and waits for its socket to go. */
export function closeSession(session: ClientHttp2Session): Promise<void> {
  if (session.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    session.once('close', () => resolve());
    session.close();
    setTimeout(() => session.destroy(), 2_000).unref();
  });
}
