import type { IncomingHttpHeaders } from 'node:http';
import t from 'tap';
import { cacheSetup } from './kit.js';

/** The fields of a hit that do not change from one request to the next. */
function stable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { date: _d, age: _a, 'x-request-id': _x, 'cache-status': status, ...rest } = headers;
  return { ...rest, 'cache-status': String(status).replace(/ttl=\d+/, 'ttl=N') };
}

t.test(
  'a plain fresh hit (answered before fastify) and a hit through the full cache flow are the same reply',
  async (t) => {
    const s = await cacheSetup((req, res) => {
      const body = `page ${req.url}`;
      res.setHeader('cache-control', 'max-age=600');
      res.setHeader('etag', '"v1"');
      res.setHeader('link', ['</a.css>; rel=preload', '</b.js>; rel=preload']);
      if (req.url === '/typed') res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(body);
    });
    t.teardown(() => s.stop());

    for (const path of ['/typed', '/untyped']) {
      const miss = await s.get(path);
      t.match(miss.headers['cache-status'], /fwd=uri-miss; stored/, `${path}: stored`);
      // No request directive: the front answers. `max-stale` sends the same hit through the cache flow.
      const early = await s.get(path);
      const full = await s.get(path, { headers: { 'cache-control': 'max-stale=5' } });
      t.match(early.headers['cache-status'], /^gerbang; hit; ttl=\d+$/);
      t.equal(early.status, 200);
      t.equal(full.status, 200);
      t.equal(early.body, `page ${path}`);
      t.equal(full.body, early.body);
      t.same(stable(full.headers), stable(early.headers), `${path}: the same fields either way`);
      t.same(early.headers.link, miss.headers.link, 'a field sent on several lines stays so');
      t.not(early.headers['x-request-id'], full.headers['x-request-id'], 'each reply has its own request id');

      const earlyHead = await s.get(path, { method: 'HEAD' });
      const fullHead = await s.get(path, { method: 'HEAD', headers: { 'cache-control': 'max-stale=5' } });
      t.equal(earlyHead.body, '', 'HEAD: no body');
      t.same(stable(earlyHead.headers), stable(early.headers), `${path}: HEAD has the GET's fields`);
      t.same(stable(fullHead.headers), stable(earlyHead.headers));
      t.equal(s.hits(path), 1, `${path}: the backend was asked once`);
    }

    const untyped = await s.get('/untyped');
    t.equal(untyped.headers['content-type'], undefined, 'no type is invented for a page stored without one');
  },
);
