import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'jdih.paserkab.go.id';

t.test(
  'a stored page gets the policy on every way out: miss, fresh-hit front, cache flow, range',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        res.writeHead(200, {
          'content-type': 'text/html',
          'cache-control': 'public, max-age=600',
          server: 'nginx/1.14.0 (Ubuntu)',
          'x-powered-by': 'PHP/7.2.24',
          'x-debug-token': 'a1b2',
          etag: '"v1"',
        });
        res.end('<p>Peraturan Daerah</p>');
      },
      {
        hostDoc: (origin) => ({
          routes: [{ path: '/', targets: [origin] }],
          headers: { response: { set: { 'X-Layanan': 'JDIH' }, remove: ['X-Debug-Token'] } },
        }),
      },
    );
    t.equal(put.status, 201, JSON.stringify(put.body));
    for (const listener of await bothListeners(gw, [HOST])) {
      const before = backend.seen.length;
      const ways: Array<[string, Record<string, string>, number, RegExp]> = [
        ['miss (stored while sent)', {}, 200, /fwd=uri-miss; stored/],
        ['fresh-hit front', {}, 200, /hit/],
        ['cache flow (a request directive)', { 'cache-control': 'max-age=600' }, 200, /hit/],
        ['a range of the stored page', { range: 'bytes=0-2' }, 206, /hit/],
        ['a 304 to the client’s own validator', { 'if-none-match': '"v1"' }, 304, /hit/],
      ];
      for (const [way, headers, status, cacheStatus] of ways) {
        // A path per listener: https over HTTP/1.1 and h2 share the cache's entries.
        const res = await listener.get(`/perda/${listener.name}`, headers);
        const what = `${listener.name}, ${way}`;
        t.equal(res.status, status, what);
        t.match(res.headers['cache-status'], cacheStatus, `${what}: ${res.headers['cache-status']}`);
        // A 304 carries only the fields RFC 9110 §15.4.5 lists, and the policy's.
        if (status !== 304) t.equal(res.headers.server, 'nginx', `${what}: Server without its version`);
        t.equal(res.headers['x-powered-by'], undefined, `${what}: banner removed`);
        t.equal(res.headers['x-debug-token'], undefined, `${what}: removed by the host's rule`);
        t.equal(res.headers['x-layanan'], 'JDIH', `${what}: set by the host's rule`);
        t.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: default added`);
      }
      t.equal(backend.seen.length, before + 1, `${listener.name}: the backend was asked once`);
      // A miss the client already holds: the 304 is written while the body goes into the cache.
      const held = await listener.get(`/perda-lain/${listener.name}`, { 'if-none-match': '"v1"' });
      t.equal(held.status, 304, `${listener.name}, 304 on a miss`);
      t.equal(held.headers['x-layanan'], 'JDIH', `${listener.name}, 304 on a miss: set by the host's rule`);
      t.equal(
        held.headers['x-content-type-options'],
        'nosniff',
        `${listener.name}, 304 on a miss: default added`,
      );
    }
  },
);
