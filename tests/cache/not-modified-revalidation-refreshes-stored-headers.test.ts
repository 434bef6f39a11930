import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { cacheSetup } from './kit.js';

t.test(
  'a stale entry is revalidated with If-None-Match / If-Modified-Since and a 304 refreshes its headers',
  async (t) => {
    let n = 0;
    const lastModified = new Date(Date.now() - 3_600_000).toUTCString();
    const s = await cacheSetup((req, res) => {
      n++;
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'max-age=60', 'x-refreshed': String(n) });
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        'cache-control': 'max-age=1',
        etag: '"v1"',
        'last-modified': lastModified,
        'x-refreshed': String(n),
      });
      res.end('the page');
    });
    t.teardown(() => s.stop());

    await s.get('/doc');
    await sleep(2100);
    const revalidated = await s.get('/doc', { headers: { 'if-none-match': '"client-old"' } });
    t.equal(revalidated.status, 200, 'the client (whose own validator does not match) gets the stored 200');
    t.equal(revalidated.body, 'the page');
    t.equal(revalidated.headers['x-refreshed'], '2', 'headers of the 304 replaced the stored ones');
    t.equal(revalidated.headers['cache-control'], 'max-age=60');
    t.match(revalidated.headers['cache-status'], /^gerbang; fwd=stale; fwd-status=304; ttl=(59|60)$/);
    const upstream = s.backend.seen[1];
    t.equal(
      upstream?.headers['if-none-match'],
      '"v1"',
      'the cache sent its own validator, not the client one',
    );
    t.equal(upstream?.headers['if-modified-since'], lastModified);

    const after = await s.get('/doc');
    t.match(after.headers['cache-status'], /^gerbang; hit/, 'fresh again for max-age=60 from the 304');
    t.equal(after.headers['x-refreshed'], '2');

    const conditional = await s.get('/doc', { headers: { 'if-none-match': '"v1"' } });
    t.equal(conditional.status, 304, "a client's matching validator gets a 304 from the cache");
    t.equal(conditional.body, '');
    t.equal(s.backend.seen.length, 2);
  },
);
