import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { bothListeners } from './header-kit.js';

const HOST = 'simpeg.paserkab.go.id';

t.test('request rules shape what the backend receives, and cannot touch Gerbang’s own fields', async (t) => {
  const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({
      routes: [{ path: '/', targets: [origin] }],
      headers: {
        request: {
          set: { 'X-Portal-Key': 'gerbang' },
          setIfAbsent: { 'Accept-Language': 'id-ID' },
          remove: ['X-Debug', 'Cookie'],
        },
      },
    }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  for (const listener of await bothListeners(gw, [HOST])) {
    const res = await listener.get('/', {
      'x-portal-key': 'forged',
      'x-debug': '1',
      cookie: 'PHPSESSID=abc',
    });
    t.equal(res.status, 200);
    const seen = backend.seen.at(-1)?.headers ?? {};
    t.equal(seen['x-portal-key'], 'gerbang', `${listener.name}: set replaced the client's value`);
    t.equal(seen['accept-language'], 'id-ID', `${listener.name}: setIfAbsent added`);
    t.equal(seen['x-debug'], undefined, `${listener.name}: removed`);
    t.equal(seen.cookie, undefined, `${listener.name}: removed`);
    t.equal(seen['x-forwarded-for'], '127.0.0.1', `${listener.name}: Gerbang's own fields as ever`);
    t.ok(seen['x-request-id'], `${listener.name}: request id`);

    await listener.get('/', { 'accept-language': 'en' });
    t.equal(backend.seen.at(-1)?.headers['accept-language'], 'en', `${listener.name}: the client's own kept`);
  }
});
