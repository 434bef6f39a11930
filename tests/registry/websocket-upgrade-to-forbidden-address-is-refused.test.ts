import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestGateway } from '../helpers/gateway.js';
import { storeHostUnchecked } from './kit.js';

t.test(
  'a WebSocket upgrade is checked against the SSRF policy when connecting, like any request',
  async (t) => {
    const server = createServer();
    const wss = new WebSocketServer({ server });
    let connections = 0;
    wss.on('connection', (socket) => {
      connections++;
      socket.send('hello');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const port = (server.address() as AddressInfo).port;
    const gw = await startTestGateway({ config: { backends: { allow: ['127.0.0.1/32'], deny: [] } } });
    t.teardown(async () => {
      await gw.stop();
      wss.close();
      server.close();
    });
    // Stored without the registration check (config hosts are checked at start now, as the API checks its own).
    await storeHostUnchecked(gw, 'chat.paserkab.go.id', [`http://127.0.0.2:${port}`]);
    const status = await new Promise<number>((resolve, reject) => {
      const client = new WebSocket(`ws://127.0.0.1:${gw.gateway.ports.http}/`, {
        headers: { host: 'chat.paserkab.go.id' },
      });
      client.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      client.on('open', () => resolve(101));
      client.on('error', reject);
    });
    t.equal(status, 502, 'refused: 127.0.0.2 is not an allowed backend address');
    t.equal(connections, 0, 'the forbidden backend saw no connection');
  },
);
