import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('a response above the max object size streams to the client but is not stored', async (t) => {
  const big = Buffer.alloc(300 * 1024, 'a');
  const small = Buffer.alloc(10 * 1024, 'b');
  const s = await cacheSetup(
    (req, res) => {
      const body = req.url?.startsWith('/big') ? big : small;
      res.writeHead(200, { 'cache-control': 'max-age=60', 'content-type': 'application/octet-stream' });
      // Chunked (no Content-Length): the limit must hold while streaming, not only from the header.
      res.write(body.subarray(0, 1000));
      res.end(body.subarray(1000));
    },
    {},
    {
      config: {
        cache: {
          memoryBytes: 64 * 1024 * 1024,
          maxObjectBytes: 100 * 1024,
          redis: false,
          redisMaxObjectBytes: 0,
          redisTimeoutMs: 50,
        },
      },
    },
  );
  t.teardown(() => s.stop());

  for (let i = 0; i < 2; i++) {
    const r = await s.get('/big', { discardBody: true });
    t.equal(r.bytes, big.length, 'the whole body arrives');
    await s.get('/small');
  }
  t.equal(s.hits('/big'), 2, 'not stored');
  t.equal(s.hits('/small'), 1, 'a small one is stored');
});
