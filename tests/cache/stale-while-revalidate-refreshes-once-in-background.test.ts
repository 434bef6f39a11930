import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { waitFor } from '../helpers/wait-for.js';
import { cacheSetup } from './kit.js';

t.test(
  'stale-while-revalidate serves the stale page at once and refreshes it once in the background',
  async (t) => {
    let n = 0;
    const s = await cacheSetup((_req, res) => {
      n++;
      const body = `v${n}`;
      // The refresh is slow: a client waiting for it would notice.
      setTimeout(
        () => {
          res.writeHead(200, {
            'cache-control': 'max-age=1, stale-while-revalidate=60',
            'content-type': 'text/plain',
          });
          res.end(body);
        },
        n === 1 ? 0 : 500,
      );
    });
    t.teardown(() => s.stop());

    t.equal((await s.get('/news')).body, 'v1');
    await sleep(1500);
    const started = Date.now();
    const stale = await Promise.all(Array.from({ length: 5 }, () => s.get('/news')));
    t.ok(Date.now() - started < 450, 'stale answers do not wait for the backend');
    for (const r of stale) {
      t.equal(r.body, 'v1', 'the stale page');
      t.match(r.headers['cache-status'], /^gerbang; hit; ttl=-/, 'a hit past its freshness');
    }
    await waitFor('the background refresh', async () => (await s.get('/news')).body === 'v2', 10_000, 50);
    t.equal(s.hits('/news'), 2, 'five stale hits caused exactly one refresh');
  },
);
