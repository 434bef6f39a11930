import t from 'tap';
import { upgradeExchange } from '../helpers/upgrade-client.js';
import { webSocketBackendBehindGateway } from '../helpers/websocket-backend.js';

t.test(
  'a WebSocket upgrade on plain HTTP to a forceHttps host gets the 308 to https, never the backend',
  async (t) => {
    const { origin, gw, upgrades } = await webSocketBackendBehindGateway(t);
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
    t.equal(upgrades(), 0, 'the backend saw no upgrade');
  },
);
