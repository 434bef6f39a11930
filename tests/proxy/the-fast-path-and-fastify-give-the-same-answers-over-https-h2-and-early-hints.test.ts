import t from 'tap';
import { pageOf } from '../compression/kit.js';
import { freePort } from '../helpers/free-port.js';
import { startInterimBackend } from '../helpers/interim-backend.js';
import { type RecordingBackend, recordingBackend, type Sent, sameAnswer, startPair } from './parity-kit.js';

const HOST = 'portal.paserkab.go.id';
const HINTS = 'hints.paserkab.go.id';
const DEAD = 'mati.paserkab.go.id';
const PAGE = pageOf(8192);

t.test(
  'over HTTPS, HTTP/2 and with Early Hints a proxied request gets the same answer through the proxied front as through fastify',
  async (t) => {
    const backend: RecordingBackend = await recordingBackend((req, res, body) => {
      if (req.url === '/page.html') {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': String(PAGE.length),
          etag: '"halaman-1"',
        });
        res.end(req.method === 'HEAD' ? undefined : PAGE);
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/plain',
        'x-legacy-debug': 'sql=SELECT 1',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
      });
      res.end(`ok ${req.method} ${req.url} ${body.length}`);
    });
    const hints = await startInterimBackend(
      [
        'HTTP/1.1 103 Early Hints\r\n' +
          'Link: </style.css>; rel=preload; as=style, </app.js>; rel=preload; as=script\r\n' +
          'Link: <https://cdn.paserkab.go.id>; rel=preconnect\r\n' +
          'X-Backend-Secret: internal\r\n\r\n',
      ],
      ['Content-Type: text/html', 'Link: </style.css>; rel=preload; as=style'],
      'ok',
    );
    t.teardown(() => Promise.all([backend.stop(), hints.stop()]));
    const pair = await startPair(t);
    const off = { enabled: false };
    await pair.host(HOST, {
      cache: off,
      hsts: { maxAge: 31536000, includeSubDomains: true },
      headers: { response: { set: { 'X-Layanan': 'Portal Paser' }, remove: ['X-Legacy-Debug'] } },
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    await pair.host(HINTS, { cache: off, hsts: true, routes: [{ path: '/', targets: [hints.origin] }] });
    await pair.host(DEAD, {
      cache: off,
      hsts: true,
      routes: [{ path: '/', targets: [`http://127.0.0.1:${await freePort()}`] }],
    });
    // A caching route: the cache flow (fastify) in both, over h2 too.
    await pair.host('simpan.paserkab.go.id', {
      hsts: true,
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    const on = [backend];
    const row = (name: string, sent: Sent, fast: boolean, status?: number) =>
      sameAnswer(t, pair, name, sent, on, { fast, ...(status === undefined ? {} : { status }) });
    const id = (n: string) => ({ 'x-request-id': `parity-${n}-0001` });

    for (const via of ['h1', 'tls', 'h2'] as const) {
      await row(
        `${via}: GET with the header policy and HSTS`,
        { via, host: HOST, path: '/', headers: id(`${via}-get`) },
        true,
        200,
      );
      await row(
        `${via}: HEAD`,
        { via, host: HOST, path: '/', method: 'HEAD', headers: id(`${via}-head`) },
        true,
        200,
      );
      await row(
        `${via}: a query`,
        { via, host: HOST, path: '/cari?q=1', headers: id(`${via}-q`) },
        true,
        200,
      );
      await row(
        `${via}: br`,
        { via, host: HOST, path: '/page.html', headers: { ...id(`${via}-br`), 'accept-encoding': 'br' } },
        true,
        200,
      );
      await row(
        `${via}: a dead backend`,
        { via, host: DEAD, path: '/', headers: id(`${via}-dead`) },
        true,
        502,
      );
      await row(
        `${via}: a dead backend (JSON)`,
        { via, host: DEAD, path: '/', headers: { ...id(`${via}-dead-json`), accept: 'application/json' } },
        true,
        502,
      );
      await row(
        `${via}: Early Hints`,
        { via, host: HINTS, path: '/page', headers: id(`${via}-hints`) },
        true,
        200,
      );
      await row(
        `${via}: a body`,
        { via, host: HOST, path: '/up', method: 'POST', body: 'hello', headers: id(`${via}-post`) },
        false,
        200,
      );
      await row(
        `${via}: a caching route`,
        { via, host: 'simpan.paserkab.go.id', path: '/', headers: id(`${via}-c`) },
        false,
        200,
      );
    }
    const metrics = await pair.metrics();
    t.same(metrics.fast, metrics.full, 'the same request and protocol metrics on both gateways');
  },
);
