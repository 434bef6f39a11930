import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { upgradeExchange } from '../helpers/upgrade-client.js';

const HOST = 'chat.paserkab.go.id';

t.test(
  'a WebSocket upgrade to a path no route takes gets the branded 404 with the directory and contact',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      routes: [{ path: '/ws', targets: ['http://127.0.0.1:9'] }],
      app: { name: 'Chat', contact: 'WA 0812-1234' },
      errorPages: { '404': { id: 'Gunakan /ws <b>saja</b>' } },
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const res = await upgradeExchange(gw.gateway.ports.http, HOST, { path: '/lain' });
    res.socket.destroy();
    t.equal(res.status, 404);
    t.match(
      res.text,
      new RegExp(`<a href="http://layanan\\.paserkab\\.go\\.id:${gw.gateway.ports.http}/">`),
      'links to the directory',
    );
    t.match(res.text, /<span>WA 0812-1234<\/span>/, 'names the contact');
    t.match(
      res.text,
      '<p class="agency">Gunakan /ws &#60;b&#62;saja&#60;/b&#62;</p>',
      'the agency text, escaped',
    );
  },
);
