import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { cacheSetup } from './kit.js';

t.test("a host's serveStaleOnError lets a page without stale-if-error stand in for a 503", async (t) => {
  let down = false;
  const s = await cacheSetup(
    (_req, res) => {
      if (down) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('portal down');
        return;
      }
      res.writeHead(200, { 'cache-control': 'max-age=1', 'content-type': 'text/plain' });
      res.end('jadwal pelayanan');
    },
    { serveStaleOnError: 600 },
  );
  t.teardown(() => s.stop());

  await s.get('/jadwal');
  down = true;
  await sleep(1500);
  const r = await s.get('/jadwal');
  t.equal(r.status, 200);
  t.equal(r.body, 'jadwal pelayanan');
  t.match(r.headers['cache-status'], /^gerbang; fwd=stale; fwd-status=503; ttl=-\d+$/);

  const bad = await s.gw.admin('PUT', '/v1/hosts/other.paserkab.go.id', {
    routes: [{ path: '/', targets: [s.backend.origin] }],
    serveStaleOnError: -5,
  });
  t.equal(bad.status, 400, 'a negative window is refused');
  t.match(JSON.stringify(bad.body), /serveStaleOnError/);
});

t.test('without serveStaleOnError or stale-if-error the 503 goes through', async (t) => {
  let down = false;
  const s = await cacheSetup((_req, res) => {
    res.writeHead(down ? 503 : 200, { 'cache-control': 'max-age=1' });
    res.end(down ? 'down' : 'up');
  });
  t.teardown(() => s.stop());
  await s.get('/x');
  down = true;
  await sleep(1500);
  t.equal((await s.get('/x')).status, 503);
});
