/** A backend on a fixed loopback port that can stop listening (connections refused) and come back on the same port. */
import { createServer, type Server } from 'node:http';
import { freePort } from './free-port.js';

export interface SwitchableBackend {
  readonly port: number;
  /** `http://127.0.0.1:<port>`, as a route target. */
  readonly origin: string;
  readonly listening: boolean;
  /** Starts answering 200 (no-store) on the port. */
  up(): Promise<void>;
  /** Stops listening and cuts open connections: from now on connections are refused. */
  down(): Promise<void>;
}

export async function switchableBackend(): Promise<SwitchableBackend> {
  const port = await freePort();
  let server: Server | undefined;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    get listening() {
      return server !== undefined;
    },
    async up() {
      if (server !== undefined) return;
      const next = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        res.end('ok');
      });
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen(port, '127.0.0.1', () => resolve());
      });
      server = next;
    },
    async down() {
      const current = server;
      if (current === undefined) return;
      server = undefined;
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };
}
