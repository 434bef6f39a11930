import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { createTestCa } from '../helpers/test-ca.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'dinkes.paserkab.go.id';
const OLD = 'dinkes-paser.go.id';

t.test(
  'on a forceHttps host, plain HTTP to an alias goes to https on the alias first, then to the host',
  async (t) => {
    const { gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        forceHttps: true,
        hsts: true,
        aliases: [{ name: OLD }],
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const ca = await createTestCa();
    t.equal((await gw.admin('PUT', `/v1/certificates/${OLD}`, await ca.issue([OLD]))).status, 201);
    const plain = await rawTargetGet(gw.gateway.ports.http, OLD, '/a?b=1');
    t.equal(plain.status, 308);
    t.equal(plain.headers.location, `https://${OLD}/a?b=1`, 'the same name on https (HSTS can be set on it)');
    const tls = await rawTargetGet(gw.gateway.ports.https, OLD, '/a?b=1', { ca: ca.certificate });
    t.equal(tls.status, 308);
    t.equal(tls.headers.location, `https://${HOST}/a?b=1`);
    t.match(tls.headers['strict-transport-security'], /max-age=/, 'the host’s HSTS on the alias');
  },
);
