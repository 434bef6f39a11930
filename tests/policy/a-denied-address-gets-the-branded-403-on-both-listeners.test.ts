import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { rawTargetGet } from './kit.js';

const HOST = 'simpeg.paserkab.go.id';

t.test(
  'an address outside the allow list gets the branded 403 on both listeners; the backend is untouched',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      // The government network only: the test's 127.0.0.1 is outside it.
      hostDoc: (origin) => ({ ...simpleHost(origin), access: { allow: ['10.0.0.0/8', 'fd00:10::/32'] } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
    for (const [name, port, options] of [
      ['http', gw.gateway.ports.http, {}],
      ['https', gw.gateway.ports.https, { ca: ca.certificate }],
    ] as const) {
      const id = await rawTargetGet(port, HOST, '/admin/login', options);
      t.equal(id.status, 403, name);
      t.match(id.body, /Akses ditolak/);
      t.match(id.body, /hanya dapat diakses dari jaringan tertentu/);
      t.equal(id.headers['cache-control'], 'no-store');
      const en = await rawTargetGet(port, HOST, '/', { ...options, headers: { 'accept-language': 'en' } });
      t.match(en.body, /Access denied/);
      const json = await rawTargetGet(port, HOST, '/', {
        ...options,
        headers: { accept: 'application/json' },
      });
      t.equal(JSON.parse(json.body).error.code, 'ACCESS_DENIED');
    }
    t.same(backend.seen, [], 'the backend saw nothing');
    t.equal(sum(await scrape(gw.adminUrl), 'gerbang_access_denied_total', { host: HOST }), 6);

    // Let the loopback network in: the same request passes.
    const open = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      ...simpleHost(backend.origin),
      access: { allow: ['10.0.0.0/8', '127.0.0.0/8'] },
    });
    t.equal(open.status, 200);
    t.equal((await rawTargetGet(gw.gateway.ports.http, HOST, '/admin/login')).status, 200);
  },
);
