/** A raw HTTP client for tests: any Host header, any method, body as buffer or stream, full response captured. */

import { once } from 'node:events';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  bytes: number;
}

export interface HttpOptions {
  method?: string;
  host?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer | Readable;
  /** Count the body without keeping it (large downloads). */
  discardBody?: boolean;
  timeoutMs?: number;
  /** Source address of the connection (another loopback address: 127.0.0.2, ...) for per-address caps. */
  localAddress?: string;
}

export function http(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const body = options.body;
  // Node's client sends DELETE/OPTIONS bodies without framing unless told their length.
  const length =
    typeof body === 'string' || Buffer.isBuffer(body) ? { 'content-length': Buffer.byteLength(body) } : {};
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: options.method ?? 'GET',
        headers: { ...(options.host ? { host: options.host } : {}), ...length, ...options.headers },
        agent: false,
        timeout: options.timeoutMs ?? 30_000,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (!options.discardBody) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            bytes,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('client timeout')));
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else body.pipe(req);
  });
}

/** Sends `text` as is on a fresh connection and returns everything the server wrote back until it closed. */
export function rawExchange(port: number, text: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
}

/**
 * Like rawExchange, but without half-closing: Node's server takes a client's FIN as the client leaving, so a
 * proxied answer would never come. The request should say `Connection: close`; the server's close ends it.
 */
export function rawRequest(port: number, text: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(timeoutMs, () => socket.destroy());
  });
}

/** Opens a connection to `url`'s port and sends a GET for `path` on `host`; the socket is the caller's to read. */
export async function rawGet(url: string, host: string, path: string): Promise<Socket> {
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
  return socket;
}
