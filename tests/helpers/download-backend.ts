/** Backend pieces for download attacks: a body written with backpressure (finite or endless, bounded in time), and a server that closes connections nobody uses. */
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const CHUNK = Buffer.alloc(64 * 1024, 'd');

/** Writes `total` bytes, or without end when undefined (cut off after `maxMs`), with backpressure; stops when the connection goes. */
export function streamBody(res: ServerResponse, total: number | undefined, maxMs = 20_000): void {
  const started = Date.now();
  let sent = 0;
  const more = (): void => {
    while (!res.destroyed && (total === undefined || sent < total)) {
      if (Date.now() - started > maxMs) {
        res.destroy();
        return;
      }
      const chunk =
        total === undefined || total - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, total - sent);
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', more);
        return;
      }
    }
    if (!res.destroyed) res.end();
  };
  more();
}

/**
 * Idle connections close quickly (kept-alive ones, and those undici opens but never uses), so what stays open
 * is what the gateway still holds.
 */
export function closeIdleConnections(server: Server, idleMs = 500): void {
  server.keepAliveTimeout = idleMs;
  server.on('connection', (socket: Socket) => {
    const unused = setTimeout(() => socket.destroy(), idleMs);
    socket.once('data', () => clearTimeout(unused));
    socket.once('close', () => clearTimeout(unused));
  });
}
