import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'paserkab.go.id';

t.test(
  'prefix rules redirect with their status, the rest of the path and the query; other paths are proxied',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        redirects: [
          { prefix: '/dinkes/', to: 'https://dinkes.paserkab.go.id/', status: 301 },
          { prefix: '/lama', to: '/baru/', status: 302 },
          { prefix: '/lama/khusus', to: 'disdik.paserkab.go.id/info', status: 307 },
          { prefix: '/unduh', to: '/berkas' },
        ],
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    for (const [target, status, location] of [
      ['/dinkes/jadwal/vaksin?hari=1', 301, 'https://dinkes.paserkab.go.id/jadwal/vaksin?hari=1'],
      ['/dinkes', 301, 'https://dinkes.paserkab.go.id/'],
      ['/lama/a/b?q=x%20y', 302, `http://${HOST}/baru/a/b?q=x%20y`],
      ['/lama', 302, `http://${HOST}/baru/`],
      ['/lama/khusus/1', 307, 'http://disdik.paserkab.go.id/info/1'],
      ['/unduh/f.pdf', 308, `http://${HOST}/berkas/f.pdf`],
    ] as const) {
      const res = await rawTargetGet(port, HOST, target);
      t.equal(res.status, status, target);
      t.equal(res.headers.location, location, target);
    }
    t.same(backend.seen, [], 'redirects never reach the backend');
    t.equal(
      (await rawTargetGet(port, HOST, '/lamaku')).status,
      200,
      'a prefix matches on a segment boundary',
    );
    t.equal(backend.seen[0]?.url, '/lamaku');
    const bad = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      ...simpleHost(backend.origin),
      redirects: [{ prefix: '/x', to: '/y', status: 303 }],
    });
    t.equal(bad.status, 400);
    t.match(JSON.stringify(bad.body), /redirects\/0\/status/);
  },
);
