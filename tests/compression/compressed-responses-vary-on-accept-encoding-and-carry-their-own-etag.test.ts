import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { decode, HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(8192);

t.test('Vary gains Accept-Encoding once, a strong ETag gets the coding, a weak one stays', async (t) => {
  const { gw } = await proxiedHost(t, HOST, (req, res) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': String(PAGE.length),
    };
    if (req.url === '/strong') headers.etag = '"abc"';
    if (req.url === '/weak') headers.etag = 'W/"abc"';
    if (req.url === '/varies') headers.vary = 'Cookie';
    if (req.url === '/varies-ae') headers.vary = 'accept-encoding, Cookie';
    res.writeHead(200, headers);
    res.end(PAGE);
  });
  const br = { 'accept-encoding': 'br' };
  const strong = await rawFetch(`${gw.url}/strong`, br);
  t.equal(strong.headers['content-encoding'], 'br');
  t.equal(strong.headers.etag, '"abc-br"', 'strong ETag names the br bytes');
  t.equal(strong.headers.vary, 'Accept-Encoding');
  t.ok(decode(strong).equals(PAGE));
  const gz = await rawFetch(`${gw.url}/strong`, { 'accept-encoding': 'gzip' });
  t.equal(gz.headers.etag, '"abc-gz"', 'and another for gzip');
  const zs = await rawFetch(`${gw.url}/strong`, { 'accept-encoding': 'zstd' });
  t.equal(zs.headers.etag, '"abc-zst"', 'and another for zstd');
  const plain = await rawFetch(`${gw.url}/strong`, {});
  t.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: identity');
  t.equal(plain.headers.etag, '"abc"', 'with the backend’s own tag');
  t.equal(plain.headers.vary, 'Accept-Encoding', 'and Vary all the same: the representation depends on it');
  t.equal(plain.headers['content-length'], String(PAGE.length));
  const weak = await rawFetch(`${gw.url}/weak`, br);
  t.equal(weak.headers.etag, 'W/"abc"', 'a weak ETag stays');
  const varies = await rawFetch(`${gw.url}/varies`, br);
  t.equal(varies.headers.vary, 'Cookie, Accept-Encoding', 'merged with the backend’s Vary');
  const already = await rawFetch(`${gw.url}/varies-ae`, br);
  t.equal(already.headers.vary, 'accept-encoding, Cookie', 'not repeated when the backend named it');
});
