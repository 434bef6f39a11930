import t from 'tap';
import { cacheSetup } from './kit.js';

t.test(
  'a successful POST invalidates its URL and the Location / Content-Location on the same host',
  async (t) => {
    let version = 1;
    const s = await cacheSetup((req, res) => {
      if (req.method === 'POST') {
        req.resume();
        const status = req.url === '/fail' ? 500 : 201;
        if (status === 201) version++;
        res.writeHead(status, {
          location: '/list',
          'content-location': 'http://portal.paserkab.go.id/item?id=7',
          'content-length': 2,
        });
        res.end('ok');
        return;
      }
      res.writeHead(200, { 'cache-control': 'max-age=600', 'content-type': 'text/plain' });
      res.end(`${req.url} v${version}`);
    });
    t.teardown(() => s.stop());

    for (const path of ['/form', '/list', '/item?id=7', '/other', '/fail']) await s.get(path);
    for (const path of ['/form', '/list', '/item?id=7', '/other', '/fail'])
      t.equal(s.hits(path), 1, `${path} stored`);

    const failed = await s.get('/fail', { method: 'POST', body: 'x' });
    t.equal(failed.status, 500);
    t.equal((await s.get('/fail')).body, '/fail v1', 'a failed POST invalidates nothing');

    const post = await s.get('/form', { method: 'POST', body: 'name=a' });
    t.equal(post.status, 201);
    t.equal(post.headers['cache-status'], 'gerbang; fwd=bypass');
    t.equal((await s.get('/form')).body, '/form v2', 'the POSTed URL is fetched again');
    t.equal((await s.get('/list')).body, '/list v2', 'Location is invalidated');
    t.equal((await s.get('/item?id=7')).body, '/item?id=7 v2', 'Content-Location is invalidated');
    t.equal((await s.get('/other')).body, '/other v1', 'other URLs stay');
  },
);
