import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { rawTargetGet } from './kit.js';

const HOST = 'simpeg.paserkab.go.id';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test(
  'basic auth: 401 with WWW-Authenticate and the branded page, the right password passes, on both listeners',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        access: {
          basicAuth: { realm: 'SIMPEG Paser', users: [{ name: 'operator', password: 'kata sandi rahasia' }] },
        },
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]))).status, 201);
    for (const [name, port, options] of [
      ['http', gw.gateway.ports.http, {}],
      ['https', gw.gateway.ports.https, { ca: ca.certificate }],
    ] as const) {
      const none = await rawTargetGet(port, HOST, '/', options);
      t.equal(none.status, 401, `${name}: no credentials`);
      t.equal(none.headers['www-authenticate'], 'Basic realm="SIMPEG Paser", charset="UTF-8"');
      t.match(none.body, /Perlu masuk/);
      t.equal(none.headers['cache-control'], 'no-store');
      const wrong = await rawTargetGet(port, HOST, '/', {
        ...options,
        headers: { authorization: basic('operator', 'salah'), accept: 'application/json' },
      });
      t.equal(wrong.status, 401, `${name}: wrong password`);
      t.equal(JSON.parse(wrong.body).error.code, 'AUTH_REQUIRED');
      const unknown = await rawTargetGet(port, HOST, '/', {
        ...options,
        headers: { authorization: basic('siapa', 'kata sandi rahasia') },
      });
      t.equal(unknown.status, 401, `${name}: unknown user`);
      const right = await rawTargetGet(port, HOST, '/data', {
        ...options,
        headers: { authorization: basic('operator', 'kata sandi rahasia') },
      });
      t.equal(right.status, 200, `${name}: the right password`);
    }
    t.equal(backend.seen.length, 2, 'only the admitted requests reached the backend');
    t.equal(sum(await scrape(gw.adminUrl), 'gerbang_basic_auth_failures_total', { host: HOST }), 4);
  },
);
