import t from 'tap';
import { pageOf } from '../compression/kit.js';
import { type RecordingBackend, recordingBackend, type Sent, sameAnswer, startPair } from './parity-kit.js';

const HOST = 'portal.paserkab.go.id';
const PAGE = pageOf(8192);

t.test(
  'a proxied request gets the same answer, backend request, access line and metrics through the proxied front as through fastify',
  async (t) => {
    const backend: RecordingBackend = await recordingBackend((req, res, body) => {
      const url = req.url ?? '/';
      if (url === '/hop') {
        res.setHeader('connection', 'x-backend-private');
        res.setHeader('x-backend-private', 'secret');
        res.setHeader('keep-alive', 'timeout=99');
        res.setHeader('x-kept', 'yes');
        res.end('hop');
        return;
      }
      if (url === '/page.html') {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': String(PAGE.length),
          etag: '"halaman-1"',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : PAGE);
        return;
      }
      if (url === '/multi') {
        res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/']);
        res.setHeader('link', ['</a.css>; rel=preload', '</b.js>; rel=preload']);
        res.end('multi');
        return;
      }
      if (url === '/kosong') {
        res.writeHead(204, { 'x-empty': 'yes' });
        res.end();
        return;
      }
      if (url === '/trailer') {
        res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-checksum' });
        res.write('with a trailer');
        res.addTrailers({ 'x-checksum': 'abc' });
        res.end();
        return;
      }
      if (url === '/besar') {
        // No Content-Length: chunked from the backend.
        for (let i = 0; i < 64; i++) res.write(`${String(i).padStart(4, '0')}${'x'.repeat(4092)}`);
        res.end();
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        'x-legacy-debug': 'sql=SELECT 1',
        'content-security-policy': 'default-src *',
      });
      res.end(`ok ${req.method} ${url} ${body.length}`);
    });
    t.teardown(() => backend.stop());
    const pair = await startPair(t);
    await pair.host(HOST, {
      cache: { enabled: false },
      hsts: true,
      headers: {
        response: {
          set: { 'Content-Security-Policy': "default-src 'self'", 'X-Layanan': 'Portal Paser' },
          setIfAbsent: { 'Permissions-Policy': 'camera=()' },
          remove: ['X-Legacy-Debug'],
        },
      },
      routes: [
        { path: '/', targets: [backend.origin] },
        { path: '/public', targets: [backend.origin], stripPrefix: true },
        { path: '/asli', targets: [backend.origin], preserveHost: true },
      ],
    });
    // A caching route on a listener with a cache: fastify's path (the cache flow) in both.
    await pair.host('simpan.paserkab.go.id', { routes: [{ path: '/', targets: [backend.origin] }] });
    // Two requests a minute: the third is the rate limiter's 429 (fastify's), the first two are routed.
    await pair.host('batas.paserkab.go.id', {
      cache: { enabled: false },
      rateLimit: { rate: '2/m' },
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    await pair.host('tertutup.paserkab.go.id', {
      cache: { enabled: false },
      access: { deny: ['127.0.0.0/8'] },
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    const on = [backend];
    const row = (name: string, sent: Sent, fast: boolean | number, status?: number, runs?: number) =>
      sameAnswer(t, pair, name, sent, on, {
        fast,
        ...(status === undefined ? {} : { status }),
        ...(runs === undefined ? {} : { runs }),
      });
    const id = (n: string) => ({ 'x-request-id': `parity-${n}-0001` });

    await row('GET', { host: HOST, path: '/', headers: id('get') }, true, 200);
    await row('HEAD', { host: HOST, path: '/', method: 'HEAD', headers: id('head') }, true, 200);
    await row('OPTIONS', { host: HOST, path: '/', method: 'OPTIONS', headers: id('options') }, true, 200);
    await row(
      'DELETE without a body',
      { host: HOST, path: '/x', method: 'DELETE', headers: id('del') },
      true,
    );
    await row('a WebDAV method', { host: HOST, path: '/dav', method: 'PROPFIND', headers: id('dav') }, true);
    await row('a client X-Request-Id is kept', { host: HOST, path: '/id', headers: id('kept') }, true);
    const generated = await row('an X-Request-Id generated', { host: HOST, path: '/gen' }, true);
    t.equal(
      generated.fast.answer.headers.find(([n]) => n.toLowerCase() === 'x-request-id')?.[1],
      '<uuid>',
      'a generated id on the fast path',
    );
    await row(
      'an invalid X-Request-Id is replaced',
      { host: HOST, path: '/bad-id', headers: { 'x-request-id': 'a b' } },
      true,
    );
    await row(
      'hop-by-hop and Connection-named fields are stripped both ways',
      {
        host: HOST,
        path: '/hop',
        headers: {
          ...id('hop'),
          connection: 'keep-alive, x-client-private',
          'x-client-private': 'token',
          'keep-alive': 'timeout=5',
          'proxy-authorization': 'Basic Zm9vOmJhcg==',
          te: 'trailers',
          'x-normal': '1',
        },
      },
      true,
      200,
    );
    await row(
      'Connection: close',
      { host: HOST, path: '/', headers: { ...id('close'), connection: 'close' } },
      true,
    );
    await row('the response header policy', { host: HOST, path: '/policy', headers: id('policy') }, true);
    await row('fields on several lines', { host: HOST, path: '/multi', headers: id('multi') }, true);
    await row('a 204', { host: HOST, path: '/kosong', headers: id('204') }, true, 204);
    await row('a chunked 256 KiB body', { host: HOST, path: '/besar', headers: id('besar') }, true, 200);
    await row('a query', { host: HOST, path: '/cari?q=a%20b&x=1&next=/a/../b', headers: id('query') }, true);
    await row(
      'escapes and double slashes',
      { host: HOST, path: '//a/%7Eu/caf%C3%A9', headers: id('esc') },
      true,
    );
    // An encoded slash is the routing front's refusal: fastify answers it in both.
    await row('an encoded slash', { host: HOST, path: '/a%2Fb', headers: id('slash') }, false);
    await row('a stripped prefix', { host: HOST, path: '/public/berkas?x=1', headers: id('strip') }, true);
    await row('a preserved host', { host: HOST, path: '/asli/x', headers: id('asli') }, true);
    await row(
      'Host with case, port and dot',
      { host: 'PORTAL.paserkab.go.id.:8080', path: '/', headers: id('hostcase') },
      true,
    );
    await row(
      'client claims of the way it came',
      {
        host: HOST,
        path: '/claims',
        headers: {
          ...id('claims'),
          'x-forwarded-for': '10.9.9.9',
          'x-forwarded-host': 'evil.example',
          'x-forwarded-proto': 'https',
          forwarded: 'for=10.9.9.9',
          'x-real-ip': '10.9.9.9',
        },
      },
      true,
    );
    for (const coding of ['gzip', 'br', 'zstd']) {
      await row(
        `compression: ${coding}`,
        { host: HOST, path: '/page.html', headers: { ...id(`c-${coding}`), 'accept-encoding': coding } },
        true,
        200,
      );
    }
    await row(
      'compression: identity',
      { host: HOST, path: '/page.html', headers: id('c-identity') },
      true,
      200,
    );
    await row(
      'compression: HEAD',
      {
        host: HOST,
        path: '/page.html',
        method: 'HEAD',
        headers: { ...id('c-head'), 'accept-encoding': 'br' },
      },
      true,
      200,
    );
    await row(
      'If-None-Match with the compressed ETag',
      {
        host: HOST,
        path: '/page.html',
        headers: { ...id('c-inm'), 'accept-encoding': 'gzip', 'if-none-match': '"halaman-1-gz"' },
      },
      true,
    );
    await row(
      'a body with Content-Length',
      { host: HOST, path: '/up', method: 'POST', body: 'hello', headers: id('post') },
      false,
    );
    await row(
      'a chunked body',
      {
        host: HOST,
        path: '/up',
        method: 'PUT',
        body: 'chunked hello',
        chunked: true,
        headers: id('chunked'),
      },
      false,
    );
    await row(
      'a JSON body',
      {
        host: HOST,
        path: '/up',
        method: 'POST',
        body: '{"a":1}',
        headers: { ...id('json'), 'content-type': 'application/json' },
      },
      false,
    );
    await row(
      'POST with Content-Length: 0',
      { host: HOST, path: '/up', method: 'POST', body: '', headers: id('post0') },
      true,
    );
    await row(
      'POST with Content-Length: 0 and a type',
      {
        host: HOST,
        path: '/up',
        method: 'POST',
        body: '',
        headers: { ...id('post0t'), 'content-type': 'application/x-www-form-urlencoded' },
      },
      true,
    );
    await row(
      'Expect: 100-continue without a body',
      { host: HOST, path: '/', headers: { ...id('expect'), expect: '100-continue' } },
      true,
    );
    await row(
      'a trailer from the backend',
      { host: HOST, path: '/trailer', headers: { ...id('trailer'), te: 'trailers' } },
      true,
      200,
    );
    for (const n of [1, 2, 3])
      await row(
        `a rate-limited route, request ${n}`,
        { host: 'batas.paserkab.go.id', path: '/', headers: id(`rate${n}`) },
        n < 3,
        n < 3 ? 200 : 429,
      );
    await row(
      'a denied address',
      { host: 'tertutup.paserkab.go.id', path: '/', headers: id('deny') },
      false,
      403,
    );
    await row(
      'OPTIONS *',
      {
        host: HOST,
        path: '/',
        raw: `OPTIONS * HTTP/1.1\r\nHost: ${HOST}\r\nX-Request-Id: parity-star-0001\r\nConnection: close\r\n\r\n`,
      },
      false,
    );
    await row('a caching route', { host: 'simpan.paserkab.go.id', path: '/', headers: id('cached') }, false);
    await row(
      'HTTP/1.0',
      {
        host: HOST,
        path: '/',
        raw: `GET /satu HTTP/1.0\r\nHost: ${HOST}\r\nX-Request-Id: parity-h10-0001\r\n\r\n`,
      },
      true,
    );
    await row(
      'two pipelined requests',
      {
        host: HOST,
        path: '/',
        raw:
          `GET /pipa-1 HTTP/1.1\r\nHost: ${HOST}\r\nX-Request-Id: parity-pipe-0001\r\n\r\n` +
          `GET /pipa-2 HTTP/1.1\r\nHost: ${HOST}\r\nX-Request-Id: parity-pipe-0002\r\nConnection: close\r\n\r\n`,
      },
      true,
      undefined,
      2,
    );
    await row(
      'a POST with Content-Length: 0, a body POST and a GET on one connection',
      {
        host: HOST,
        path: '/',
        raw:
          `POST /nol HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 0\r\nX-Request-Id: parity-ka-0001\r\n\r\n` +
          `POST /isi HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 3\r\nX-Request-Id: parity-ka-0002\r\n\r\nabc` +
          `GET /akhir HTTP/1.1\r\nHost: ${HOST}\r\nX-Request-Id: parity-ka-0003\r\nConnection: close\r\n\r\n`,
      },
      1,
      undefined,
      3,
    );
    await row(
      'an absolute-form target',
      {
        host: HOST,
        path: '/',
        raw: `GET http://${HOST}/mutlak?x=1 HTTP/1.1\r\nHost: ${HOST}\r\nX-Request-Id: parity-abs-0001\r\nConnection: close\r\n\r\n`,
      },
      true,
    );

    const metrics = await pair.metrics();
    t.same(metrics.fast, metrics.full, 'the same request metrics on both gateways');
  },
);
