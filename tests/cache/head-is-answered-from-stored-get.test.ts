import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('HEAD is answered from a stored GET, without asking the backend', async (t) => {
  const s = await cacheSetup((_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html',
      'cache-control': 'max-age=60',
      'content-length': 11,
      etag: '"v1"',
    });
    res.end('hello world');
  });
  t.teardown(() => s.stop());

  await s.get('/index.html');
  const head = await s.get('/index.html', { method: 'HEAD' });
  t.equal(head.status, 200);
  t.equal(head.body, '', 'no body');
  t.equal(head.headers['content-length'], '11', 'the stored length');
  t.equal(head.headers.etag, '"v1"');
  t.match(head.headers['cache-status'], /^gerbang; hit/);
  t.same(
    s.backend.seen.map((r) => r.method),
    ['GET'],
    'only the first GET reached the backend',
  );
});
