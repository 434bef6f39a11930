import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocketServer } from 'ws';
import { startTestGateway } from '../helpers/gateway.js';
import { upgradeExchange } from '../helpers/upgrade-client.js';

t.test(
  'a WebSocket upgrade on plain HTTP to a forceHttps host gets the 308 to https, never the backend',
  async (t) => {
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
    const host = 'chat.paserkab.go.id';
    const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
      routes: [{ path: '/', targets: [origin] }],
      forceHttps: true,
    });
    t.equal(put.status, 201);

    const res = await upgradeExchange(gw.gateway.ports.http, host, { path: '/ws/room?id=7' });
    res.socket.destroy();
    t.equal(res.status, 308);
    t.match(res.text, /\r\nLocation: https:\/\/chat\.paserkab\.go\.id\/ws\/room\?id=7\r\n/i);
    t.match(res.text, /\r\nX-Request-Id: [\w-]+\r\n/i);
    t.ok(res.closedByServer, 'the connection is closed after the redirect');
    t.equal(upgrades, 0, 'the backend saw no upgrade');
  },
);
