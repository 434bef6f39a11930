import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const LEGACY = 'sipd-lama.paserkab.go.id';
const OTHER = 'sipd.paserkab.go.id';

t.test(
  '`defaults: false` passes the backend’s fields as they are; another host keeps the defaults',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      LEGACY,
      (_req, res) => {
        res.writeHead(200, {
          'content-type': 'text/html',
          server: 'Apache/2.4.6',
          'x-powered-by': 'PHP/5.3.3',
        });
        res.end('ok');
      },
      {
        hostDoc: (origin) => ({ routes: [{ path: '/', targets: [origin] }], headers: { defaults: false } }),
      },
    );
    t.equal(put.status, 201, JSON.stringify(put.body));
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${OTHER}`, { routes: [{ path: '/', targets: [backend.origin] }] }))
        .status,
      201,
    );
    for (const listener of await bothListeners(gw, [LEGACY, OTHER])) {
      const legacy = await listener.get('/', { host: LEGACY });
      t.equal(legacy.headers.server, 'Apache/2.4.6', `${listener.name}: banner kept`);
      t.equal(legacy.headers['x-powered-by'], 'PHP/5.3.3', `${listener.name}: X-Powered-By kept`);
      t.equal(legacy.headers['x-frame-options'], undefined, `${listener.name}: nothing added`);
      t.equal(legacy.headers['x-content-type-options'], undefined, `${listener.name}: nothing added`);
      const other = await listener.get('/', { host: OTHER });
      t.equal(other.headers.server, 'Apache', `${listener.name}: the other host has the defaults`);
      t.equal(
        other.headers['x-frame-options'],
        'SAMEORIGIN',
        `${listener.name}: the other host has the defaults`,
      );
    }
  },
);
