import t from 'tap';
import { cacheSetup } from './kit.js';

t.test('a Range request is served from the full stored response', async (t) => {
  const s = await cacheSetup((req, res) => {
    if (req.headers.range) {
      res.writeHead(206, { 'content-range': 'bytes 0-0/10', 'content-length': 1 });
      res.end('0');
      return;
    }
    res.writeHead(200, { 'cache-control': 'max-age=60', etag: '"r1"', 'content-length': 10 });
    res.end('0123456789');
  });
  t.teardown(() => s.stop());

  const passed = await s.get('/file.pdf', { headers: { range: 'bytes=0-0' } });
  t.equal(passed.status, 206, 'a range miss is passed through');
  t.equal(s.hits('/file.pdf'), 1);

  await s.get('/file.pdf');
  const part = await s.get('/file.pdf', { headers: { range: 'bytes=2-5' } });
  t.equal(part.status, 206);
  t.equal(part.body, '2345');
  t.equal(part.headers['content-range'], 'bytes 2-5/10');
  t.match(part.headers['cache-status'], /hit/);
  const suffix = await s.get('/file.pdf', { headers: { range: 'bytes=-3' } });
  t.equal(suffix.body, '789');
  const bad = await s.get('/file.pdf', { headers: { range: 'bytes=20-' } });
  t.equal(bad.status, 416);
  t.equal(bad.headers['content-range'], 'bytes */10');
  const otherVersion = await s.get('/file.pdf', { headers: { range: 'bytes=2-5', 'if-range': '"old"' } });
  t.equal(otherVersion.status, 200, 'If-Range with another validator gets the whole response');
  t.equal(otherVersion.body, '0123456789');
  t.equal(s.hits('/file.pdf'), 2, 'only the first range miss and the full GET reached the backend');
});
