import t from 'tap';
import { upgradeExchange } from '../helpers/upgrade-client.js';
import { webSocketBackendBehindGateway } from '../helpers/websocket-backend.js';

t.test(
  'a WebSocket upgrade to a host under maintenance gets its 503 page and never reaches the backend',
  async (t) => {
    const { origin, gw, upgrades } = await webSocketBackendBehindGateway(t);
    const host = 'chat.paserkab.go.id';
    const until = new Date(Date.now() + 120_000).toISOString();
    const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
      routes: [{ path: '/', targets: [origin] }],
      maintenance: { enabled: true, message: 'Migrasi server', until },
    });
    t.equal(put.status, 201);
    const port = gw.gateway.ports.http;

    const page = await upgradeExchange(port, host, { path: '/ws', headers: { 'Accept-Language': 'en' } });
    page.socket.destroy();
    t.equal(page.status, 503);
    const retry = Number(/\r\nRetry-After: (\d+)\r\n/i.exec(page.text)?.[1]);
    t.ok(retry > 100 && retry <= 120, `Retry-After counts down to until (${retry})`);
    t.match(page.text, /\r\nContent-Type: text\/html/i);
    t.match(page.text, /Under maintenance/);
    t.match(page.text, /Migrasi server/);
    t.match(page.text, /\r\nX-Request-Id: [\w-]+\r\n/i);
    t.ok(page.closedByServer, 'the connection is closed after the page');

    const json = await upgradeExchange(port, host, { path: '/ws', headers: { Accept: 'application/json' } });
    json.socket.destroy();
    t.equal(json.status, 503);
    t.equal(JSON.parse(json.text.slice(json.text.indexOf('\r\n\r\n') + 4)).error.code, 'MAINTENANCE');
    t.equal(upgrades(), 0, 'the backend saw no upgrade');
  },
);
