import t from 'tap';
import { upgradeExchange } from '../helpers/upgrade-client.js';
import { webSocketBackendBehindGateway } from '../helpers/websocket-backend.js';

const HOST = 'chat.paserkab.go.id';
const OLD = 'chat-paser.go.id';
const auth = `Basic ${Buffer.from('petugas:sandi percakapan').toString('base64')}`;

t.test(
  'a WebSocket upgrade gets the redirect or the 401 an ordinary request gets, and passes with credentials',
  async (t) => {
    const { origin, gw, upgrades } = await webSocketBackendBehindGateway(t);
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      aliases: [{ name: OLD }],
      redirects: [{ prefix: '/lama', to: '/ws' }],
      routes: [
        {
          path: '/',
          targets: [origin],
          access: { basicAuth: { users: [{ name: 'petugas', password: 'sandi percakapan' }] } },
        },
      ],
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;

    const alias = await upgradeExchange(port, OLD, { path: '/ws?room=1' });
    alias.socket.destroy();
    t.equal(alias.status, 308);
    t.match(alias.text, new RegExp(`Location: http://${HOST}/ws\\?room=1\\r\\n`));
    t.ok(alias.closedByServer);
    const rule = await upgradeExchange(port, HOST, { path: '/lama/x' });
    rule.socket.destroy();
    t.equal(rule.status, 308);
    t.match(rule.text, new RegExp(`Location: http://${HOST}/ws/x\\r\\n`));

    const none = await upgradeExchange(port, HOST, { path: '/ws' });
    none.socket.destroy();
    t.equal(none.status, 401);
    t.match(none.text, /WWW-Authenticate: Basic realm="Gerbang"/);
    t.ok(none.closedByServer);
    const wrong = await upgradeExchange(port, HOST, {
      path: '/ws',
      headers: { Authorization: `Basic ${Buffer.from('petugas:salah').toString('base64')}` },
    });
    wrong.socket.destroy();
    t.equal(wrong.status, 401);
    t.equal(upgrades(), 0, 'the backend saw no upgrade');

    // Verified (the slow hash), then remembered (answered at once): both go through.
    for (const [round, waitCloseMs] of [
      ['verified', 2_500],
      ['remembered', 300],
    ] as const) {
      const ok = await upgradeExchange(port, HOST, {
        path: '/ws',
        headers: { Authorization: auth },
        waitCloseMs,
      });
      ok.socket.destroy();
      t.equal(ok.status, 101, round);
    }
    t.equal(upgrades(), 2);
  },
);
