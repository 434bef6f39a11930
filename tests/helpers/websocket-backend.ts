/** A real WebSocket backend (ws on node:http) for the upgrade tests, plus a gateway in front of it, both stopped when the test ends: it counts the upgrades that reached it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'tap';
import { WebSocketServer } from 'ws';
import { startTestGateway, type TestGateway } from './gateway.js';

export interface WebSocketBackend {
  /** `http://127.0.0.1:<port>`, as a route target. */
  origin: string;
  gw: TestGateway;
  /** Upgrade requests the backend received: what must stay 0 when Gerbang answers itself. */
  upgrades(): number;
}

export async function webSocketBackendBehindGateway(t: Test): Promise<WebSocketBackend> {
  const server = createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ server });
  let upgrades = 0;
  server.on('upgrade', () => upgrades++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  return { origin, gw, upgrades: () => upgrades };
}
