import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('the cache is switched off per host, and a route can switch it back on', async (t) => {
  const s = await cacheSetup((req, res) => {
    res.writeHead(200, { 'cache-control': 'max-age=60' });
    res.end(`${req.url}`);
  });
  t.teardown(() => s.stop());
  const put = await s.gw.admin('PUT', '/v1/hosts/portal.paserkab.go.id', {
    cache: { enabled: false },
    routes: [
      { path: '/', targets: [s.backend.origin] },
      { path: '/static', targets: [s.backend.origin], cache: { enabled: true } },
    ],
  });
  t.equal(put.status, 200);

  for (let i = 0; i < 2; i++) {
    const off = await s.get('/page');
    t.equal(off.headers['cache-status'], undefined, 'no cache work, no Cache-Status');
    await s.get('/static/app.js');
  }
  t.equal(s.hits('/page'), 2, 'host cache off: every request reaches the backend');
  t.equal(s.hits('/static/app.js'), 1, 'route cache on: stored');

  const bad = await s.gw.admin('PUT', '/v1/hosts/portal.paserkab.go.id', {
    routes: [{ path: '/', targets: [s.backend.origin], cache: { maxObjectBytes: -1 } }],
  });
  t.equal(bad.status, 400);
  t.match(JSON.stringify(bad.body), /maxObjectBytes/);
});
