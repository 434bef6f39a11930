import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'ppid.paserkab.go.id';
const BANNER = 'Apache/2.2.15 (CentOS)';

t.test(
  'the cache keeps the backend’s fields: a changed policy shows on the next hit, backend untouched',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600', server: BANNER });
      res.end('<p>Informasi publik</p>');
    });
    t.equal(put.status, 201);
    const listeners = await bothListeners(gw, [HOST]);
    for (const listener of listeners) {
      t.equal(
        (await listener.get('/')).headers.server,
        'Apache',
        `${listener.name}: stored under the defaults`,
      );
      const hit = await listener.get('/');
      t.match(hit.headers['cache-status'], /hit/);
      t.equal(hit.headers['x-versi'], undefined);
    }
    const asked = backend.seen.length;

    const change = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      routes: [{ path: '/', targets: [backend.origin] }],
      headers: { defaults: false, response: { set: { 'X-Versi': '2' } } },
    });
    t.equal(change.status, 200, JSON.stringify(change.body));
    for (const listener of listeners) {
      const asks: Array<Record<string, string>> = [{}, { 'cache-control': 'max-age=600' }];
      for (const headers of asks) {
        const res = await listener.get('/', headers);
        const what = `${listener.name} ${JSON.stringify(headers)}`;
        t.match(res.headers['cache-status'], /hit/, `${what}: still the stored page`);
        t.equal(res.headers['x-versi'], '2', `${what}: the new rule applies at once`);
        t.equal(res.headers.server, BANNER, `${what}: defaults off: the backend's banner, as stored`);
        t.equal(res.headers['x-frame-options'], undefined, `${what}: and no default field`);
      }
    }
    t.equal(backend.seen.length, asked, 'the backend was not asked again');
  },
);
