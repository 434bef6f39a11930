import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('a fresh stored response is served from the cache with Age and Cache-Status', async (t) => {
  let n = 0;
  const s = await cacheSetup((_req, res) => {
    n++;
    const body = `version ${n}`;
    res.writeHead(200, {
      'content-type': 'text/plain',
      'cache-control': 'max-age=60',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
  t.teardown(() => s.stop());

  const first = await s.get('/page?x=1');
  t.equal(first.status, 200);
  t.equal(first.body, 'version 1');
  t.match(first.headers['cache-status'], /^gerbang; fwd=uri-miss; stored$/);

  await sleep(1100);
  const second = await s.get('/page?x=1');
  t.equal(second.status, 200);
  t.equal(second.body, 'version 1', 'the stored body');
  t.match(second.headers['cache-status'], /^gerbang; hit; ttl=(58|59)$/);
  t.ok(
    Number(second.headers.age) >= 1 && Number(second.headers.age) <= 2,
    `Age counts resident time (${second.headers.age})`,
  );
  t.ok(second.headers['x-request-id'], 'a request id of its own');
  t.equal(s.hits('/page?x=1'), 1, 'the backend was asked once');

  const other = await s.get('/page?x=2');
  t.equal(other.body, 'version 2', 'another query is another key');
  t.equal(s.hits('/page?x=2'), 1);

  const metrics = await (await fetch(`${s.gw.adminUrl}/metrics`)).text();
  t.match(metrics, /gerbang_cache_requests_total\{host="portal.paserkab.go.id",result="hit"\} 1/);
  t.match(metrics, /gerbang_cache_requests_total\{host="portal.paserkab.go.id",result="miss"\} 2/);
  t.match(metrics, /gerbang_cache_entries 2/);
});
