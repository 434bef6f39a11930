import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'dinkes.paserkab.go.id';
const OLD = 'dinkes-paser.go.id';
const OLDER = 'www.dinkes-paser.go.id';

t.test(
  'a redirecting alias answers 308 (or its 301) to the host, path and query kept, on both listeners',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        aliases: [{ name: OLD }, { name: OLDER, mode: 'redirect', status: 301 }],
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${OLD}`, await ca.issue([OLD]))).status, 201);
    const http = await rawTargetGet(gw.gateway.ports.http, OLD, '/berita/2024?id=7&x=%20y');
    t.equal(http.status, 308);
    t.equal(http.headers.location, `http://${HOST}/berita/2024?id=7&x=%20y`);
    const https = await rawTargetGet(gw.gateway.ports.https, OLD, '/berita/2024?id=7', {
      ca: ca.certificate,
    });
    t.equal(https.status, 308);
    t.equal(https.headers.location, `https://${HOST}/berita/2024?id=7`);
    const older = await rawTargetGet(gw.gateway.ports.http, OLDER, '/');
    t.equal(older.status, 301);
    t.equal(older.headers.location, `http://${HOST}/`);
    t.same(backend.seen, [], 'the backend saw nothing');
  },
);
