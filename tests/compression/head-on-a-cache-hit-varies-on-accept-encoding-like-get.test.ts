import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(8 * 1024);

t.test('a HEAD answered from the cache carries Vary: Accept-Encoding, as the GET does', async (t) => {
  const { gw } = await proxiedHost(t, HOST, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=300', etag: '"h1"' });
    res.end(PAGE);
  });
  const url = `${gw.url}/berita`;
  const proxied = await rawFetch(`${gw.url}/lain`, { 'accept-encoding': 'br' }, 'HEAD');
  t.equal(proxied.headers.vary, 'Accept-Encoding', 'a HEAD the backend answers varies too');
  t.equal(proxied.headers['content-encoding'], undefined);
  const miss = await rawFetch(url, { 'accept-encoding': 'br' });
  t.equal(miss.headers.vary, 'Accept-Encoding', 'the GET (a miss) varies');

  // The cache flow (serve-entry): a conditional the fresh-hit front leaves alone, that does not match.
  const flow = await rawFetch(url, { 'accept-encoding': 'br', 'if-none-match': '"other"' }, 'HEAD');
  t.equal(flow.status, 200);
  t.match(flow.headers['cache-status'], /hit/);
  t.equal(flow.headers.vary, 'Accept-Encoding', 'a HEAD hit through the cache flow varies');
  t.equal(flow.headers['content-encoding'], undefined, "a HEAD's empty body is not compressed");
  t.equal(flow.headers['content-length'], String(PAGE.length), 'it describes the identity GET');
  t.equal(flow.headers.etag, '"h1"', 'with the identity ETag');
  t.equal(flow.body.length, 0);

  // The fresh-hit front: the plainest HEAD.
  for (const ae of ['br', 'gzip', undefined]) {
    const front = await rawFetch(url, ae === undefined ? {} : { 'accept-encoding': ae }, 'HEAD');
    t.equal(front.status, 200);
    t.match(front.headers['cache-status'], /hit/);
    t.equal(front.headers.vary, 'Accept-Encoding', `${ae ?? 'no Accept-Encoding'}: a fresh HEAD hit varies`);
    t.equal(front.headers['content-encoding'], undefined);
    t.equal(front.headers['content-length'], String(PAGE.length));
    t.equal(front.headers.etag, '"h1"');
  }

  // A 304 to a HEAD carries it too.
  const nm = await rawFetch(url, { 'accept-encoding': 'br', 'if-none-match': '"h1"' }, 'HEAD');
  t.equal(nm.status, 304);
  t.equal(nm.headers.vary, 'Accept-Encoding', 'a 304 to a HEAD varies');
});
