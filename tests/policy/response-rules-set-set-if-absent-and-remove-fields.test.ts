import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'dukcapil.paserkab.go.id';

t.test('set replaces, setIfAbsent adds only when missing, remove drops, on both listeners', async (t) => {
  const { gw, put } = await proxiedHost(
    t,
    HOST,
    (req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-security-policy': 'default-src *',
        'x-legacy-debug': 'sql=SELECT 1',
        ...(req.url === '/own-permissions' ? { 'permissions-policy': 'camera=(self)' } : {}),
      });
      res.end('ok');
    },
    {
      hostDoc: (origin) => ({
        routes: [{ path: '/', targets: [origin] }],
        headers: {
          response: {
            set: { 'Content-Security-Policy': "default-src 'self'", 'X-Layanan': 'Dukcapil Paser' },
            setIfAbsent: { 'Permissions-Policy': 'camera=()' },
            remove: ['X-Legacy-Debug'],
          },
        },
      }),
    },
  );
  t.equal(put.status, 201, JSON.stringify(put.body));
  for (const listener of await bothListeners(gw, [HOST])) {
    const res = await listener.get('/');
    t.equal(
      res.headers['content-security-policy'],
      "default-src 'self'",
      `${listener.name}: set replaced the backend's`,
    );
    t.equal(res.headers['x-layanan'], 'Dukcapil Paser', `${listener.name}: set added a new one`);
    t.equal(res.headers['permissions-policy'], 'camera=()', `${listener.name}: setIfAbsent added`);
    t.equal(res.headers['x-legacy-debug'], undefined, `${listener.name}: removed`);
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${listener.name}: the defaults still apply`);
    const own = await listener.get('/own-permissions');
    t.equal(
      own.headers['permissions-policy'],
      'camera=(self)',
      `${listener.name}: setIfAbsent kept the backend's`,
    );
  }
});
