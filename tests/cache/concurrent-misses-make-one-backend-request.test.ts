import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('20 concurrent misses for one URL make exactly one backend request', async (t) => {
  const s = await cacheSetup((req, res) => {
    const cacheable = req.url === '/popular';
    setTimeout(() => {
      res.writeHead(200, {
        'cache-control': cacheable ? 'max-age=60' : 'no-store',
        'content-type': 'text/plain',
      });
      res.end(`answer for ${req.url}`);
    }, 300);
  });
  t.teardown(() => s.stop());

  const answers = await Promise.all(Array.from({ length: 20 }, () => s.get('/popular')));
  t.equal(s.hits('/popular'), 1, 'one backend request');
  for (const r of answers) t.equal(r.body, 'answer for /popular');

  const uncacheable = await Promise.all(Array.from({ length: 5 }, () => s.get('/private-ish')));
  t.equal(s.hits('/private-ish'), 5, 'an uncacheable answer sends the waiters to the backend themselves');
  for (const r of uncacheable) t.equal(r.status, 200);
});
