import { gzipSync } from 'node:zlib';
import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(16 * 1024);
const GZIPPED = gzipSync(PAGE);

t.test(
  'no-transform, an encoded body, ranges, HEAD, small bodies, images, 204 and 304 are left as they are',
  async (t) => {
    const { gw } = await proxiedHost(t, HOST, (req, res) => {
      const base = { 'cache-control': 'no-store' };
      switch (req.url) {
        case '/no-transform':
          res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store, no-transform' });
          res.end(PAGE);
          return;
        case '/encoded':
          res.writeHead(200, { ...base, 'content-type': 'text/html', 'content-encoding': 'gzip' });
          res.end(GZIPPED);
          return;
        case '/range':
          if (req.headers.range !== undefined) {
            res.writeHead(206, {
              ...base,
              'content-type': 'text/html',
              'content-range': `bytes 0-99/${PAGE.length}`,
            });
            res.end(PAGE.subarray(0, 100));
          } else {
            res.writeHead(200, { ...base, 'content-type': 'text/html' });
            res.end(PAGE);
          }
          return;
        case '/small':
          res.writeHead(200, { ...base, 'content-type': 'text/html', 'content-length': '100' });
          res.end(PAGE.subarray(0, 100));
          return;
        case '/image':
          res.writeHead(200, { ...base, 'content-type': 'image/png' });
          res.end(PAGE);
          return;
        case '/untyped':
          res.writeHead(200, base);
          res.end(PAGE);
          return;
        case '/empty':
          res.writeHead(204, base);
          res.end();
          return;
        case '/not-modified':
          res.writeHead(304, { ...base, etag: '"v1"' });
          res.end();
          return;
        default:
          res.writeHead(200, { ...base, 'content-type': 'text/html', 'content-length': String(PAGE.length) });
          res.end(req.method === 'HEAD' ? undefined : PAGE);
      }
    });
    const ae = { 'accept-encoding': 'br, gzip, zstd' };
    const untouched = async (
      path: string,
      what: string,
      body: Buffer | undefined,
      extra = {},
      method = 'GET',
    ) => {
      const res = await rawFetch(`${gw.url}${path}`, { ...ae, ...extra }, method);
      t.not(
        res.headers['content-encoding'] === 'br' || res.headers['content-encoding'] === 'zstd',
        true,
        `${what}: not recompressed`,
      );
      if (body !== undefined) t.ok(res.body.equals(body), `${what}: the backend's bytes`);
      return res;
    };
    const nt = await untouched('/no-transform', 'Cache-Control: no-transform', PAGE);
    t.equal(nt.headers['content-encoding'], undefined);
    const enc = await untouched('/encoded', 'already gzip from the backend', GZIPPED);
    t.equal(enc.headers['content-encoding'], 'gzip', 'its own coding stays');
    const range = await untouched('/range', 'a Range request', PAGE.subarray(0, 100), {
      range: 'bytes=0-99',
    });
    t.equal(range.status, 206);
    t.equal(range.headers['content-encoding'], undefined);
    const small = await untouched('/small', 'a body under the threshold', PAGE.subarray(0, 100));
    t.equal(small.headers['content-encoding'], undefined);
    const img = await untouched('/image', 'image/png', PAGE);
    t.equal(img.headers['content-encoding'], undefined);
    const untyped = await untouched('/untyped', 'no Content-Type', PAGE);
    t.equal(untyped.headers['content-encoding'], undefined);
    const head = await untouched('/page', 'HEAD', Buffer.alloc(0), {}, 'HEAD');
    t.equal(head.headers['content-encoding'], undefined, 'HEAD: no coding');
    t.equal(head.headers['content-length'], String(PAGE.length), 'HEAD: the length of the GET');
    const empty = await untouched('/empty', '204', Buffer.alloc(0));
    t.equal(empty.status, 204);
    t.equal(empty.headers['content-encoding'], undefined);
    const nm = await untouched('/not-modified', '304', Buffer.alloc(0), { 'if-none-match': '"v1"' });
    t.equal(nm.status, 304);
    t.equal(nm.headers['content-encoding'], undefined);
    // And the control: the same page on GET is compressed.
    const page = await rawFetch(`${gw.url}/page`, ae);
    t.equal(page.headers['content-encoding'], 'br', 'the plain GET of the page is compressed');
  },
);
