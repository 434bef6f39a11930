import t from 'tap';
import { cacheSetup, HOST } from './kit.js';

t.test('POST /v1/cache/purge removes the host entries below a prefix', async (t) => {
  let n = 0;
  const s = await cacheSetup((req, res) => {
    n++;
    res.writeHead(200, { 'cache-control': 'max-age=600' });
    res.end(`${req.url} #${n}`);
  });
  t.teardown(() => s.stop());

  const paths = ['/berita/1', '/berita/2', '/profil'];
  for (const p of paths) await s.get(p);

  const purged = await s.gw.admin('POST', '/v1/cache/purge', { host: HOST, prefix: '/berita' });
  t.equal(purged.status, 200);
  t.same(purged.body, { host: HOST, prefix: '/berita', removed: 2, instances: 'local' });

  for (const p of paths) await s.get(p);
  t.equal(s.hits('/berita/1'), 2, 'purged');
  t.equal(s.hits('/berita/2'), 2, 'purged');
  t.equal(s.hits('/profil'), 1, 'outside the prefix: kept');

  const all = await s.gw.admin('POST', '/v1/cache/purge', { host: HOST });
  t.equal((all.body as { removed: number }).removed, 3, 'without a prefix: the whole host');

  const bad = await s.gw.admin('POST', '/v1/cache/purge', { host: HOST, prefix: 'no-slash' });
  t.equal(bad.status, 400);
  t.match(JSON.stringify(bad.body), /VALIDATION_FAILED.*prefix/);
  const noHost = await s.gw.admin('POST', '/v1/cache/purge', {});
  t.equal(noHost.status, 400);
  t.match(JSON.stringify(noHost.body), /host/);
  const anon = await fetch(`${s.gw.adminUrl}/v1/cache/purge`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ host: HOST }),
  });
  t.equal(anon.status, 401, 'needs a token');
});
