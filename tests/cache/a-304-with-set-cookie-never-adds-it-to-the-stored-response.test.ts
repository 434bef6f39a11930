import t from 'tap';
import { cacheSetup } from './kit.js';

t.test(
  'a revalidation 304 that sets a cookie gives it to the client that asked, never to the stored response',
  async (t) => {
    let n = 0;
    const s = await cacheSetup((req, res) => {
      n++;
      if (req.headers['if-none-match'] === '"v1"') {
        // The portal starts a session on the revalidation, and makes the page fresh for a while.
        res.writeHead(304, {
          etag: '"v1"',
          'cache-control': 'max-age=600',
          'set-cookie': `sid=visitor-${n}; path=/`,
        });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html', etag: '"v1"', 'cache-control': 'max-age=0' });
      res.end('<p>pengumuman</p>');
    });
    t.teardown(() => s.stop());

    const stored = await s.get('/pengumuman');
    t.equal(stored.headers['set-cookie'], undefined, 'the first response sets no cookie');
    const revalidated = await s.get('/pengumuman');
    t.match(revalidated.headers['cache-status'], /fwd=stale/, 'the second was revalidated');
    t.same(
      revalidated.headers['set-cookie'],
      ['sid=visitor-2; path=/'],
      'the client that asked gets its cookie',
    );
    const hit = await s.get('/pengumuman');
    t.match(hit.headers['cache-status'], /hit/, 'the third is a hit of the refreshed response');
    t.equal(hit.headers['set-cookie'], undefined, 'without anyone else’s cookie');
    t.equal(hit.body, '<p>pengumuman</p>');
  },
);
