import t from 'tap';
import { type Backend, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('%61pi is routed as /api, the route the backend’s own decoding would put it on', async (t) => {
  const backends: Backend[] = await Promise.all([startBackend(), startBackend()]);
  const [api, root] = backends as [Backend, Backend];
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    for (const b of backends) await b.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    routes: [
      { path: '/api', targets: [api.origin] },
      { path: '/', targets: [root.origin] },
    ],
  });
  const res = await http(`${gw.url}/%61pi/%7Euser%2d1/caf%c3%a9?q=%61`, { host: 'dinkes.paserkab.go.id' });
  t.equal(res.status, 200);
  t.same(
    api.seen.map((s) => s.url),
    ['/api/~user-1/caf%C3%A9?q=%61'],
    'the /api route’s backend gets the path decoded where that changes nothing, the query as sent',
  );
  t.equal(root.seen.length, 0, 'the / route’s backend never sees a request it would read as /api');
  // Unchanged: an ordinary dotted name is not a dot segment.
  const plain = await http(`${gw.url}/.well-known/security.txt`, { host: 'dinkes.paserkab.go.id' });
  t.equal(plain.status, 200);
  t.equal(root.seen.at(-1)?.url, '/.well-known/security.txt');
});
