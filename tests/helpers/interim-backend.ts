/** A backend on raw TCP that answers each request with scripted interim responses (1xx heads) before its final response. */

import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';

export interface InterimBackend {
  /** `http://127.0.0.1:<port>`, as a route target. */
  readonly origin: string;
  /** Request heads received, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/**
 * `interim` heads (e.g. `HTTP/1.1 103 Early Hints\r\nLink: ...\r\n\r\n`) are written as they are, then a 200 with
 * `finalHeaders` and `body`; keep-alive, so the gateway's pool may reuse the connection.
 */
export async function startInterimBackend(
  interim: readonly string[],
  finalHeaders: readonly string[],
  body: string,
): Promise<InterimBackend> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (d: Buffer) => {
      buffered += d.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        requests.push(buffered.slice(0, end));
        buffered = buffered.slice(end + 4);
        const head = [
          'HTTP/1.1 200 OK',
          ...finalHeaders,
          `Content-Length: ${Buffer.byteLength(body)}`,
          '',
          '',
        ].join('\r\n');
        socket.write(interim.join('') + head + body);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
