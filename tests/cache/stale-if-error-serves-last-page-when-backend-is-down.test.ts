import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { cacheSetup } from './kit.js';

t.test(
  'stale-if-error: with the backend stopped, the last good page is served and marked stale',
  async (t) => {
    const s = await cacheSetup((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=1, stale-if-error=60', 'content-type': 'text/plain' });
      res.end('last good page');
    });
    t.teardown(() => s.gw.stop());

    await s.get('/layanan');
    await s.backend.stop();
    await sleep(1500);

    const stale = await s.get('/layanan');
    t.equal(stale.status, 200);
    t.equal(stale.body, 'last good page');
    t.match(stale.headers['cache-status'], /^gerbang; fwd=stale; ttl=-\d+; detail=refused$/);
    t.ok(Number(stale.headers.age) >= 1, 'Age says how old it is');

    const never = await s.get('/never-stored');
    // The only target of a route is never ejected: the refused connection is the branded 502.
    t.equal(never.status, 502, 'without a stored page the citizen gets the ordinary error');
  },
);

t.test('must-revalidate forbids serving stale even when the backend is down', async (t) => {
  const s = await cacheSetup((_req, res) => {
    res.writeHead(200, { 'cache-control': 'max-age=1, must-revalidate, stale-if-error=60' });
    res.end('strict page');
  });
  t.teardown(() => s.gw.stop());
  await s.get('/strict');
  await s.backend.stop();
  await sleep(1500);
  const r = await s.get('/strict');
  t.equal(r.status, 502);
});
