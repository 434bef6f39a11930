import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake, httpsGet } from '../helpers/tls-client.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'an alias outside the zones gets its own certificate through HTTP-01: an old https:// bookmark redirects',
  async (t) => {
    const backend = await startBackend(echoHandler('dinkes'));
    const acmePort = await freePort();
    t.teardown(() => backend.stop());
    const gw = await startAcmeGateway(acmePort);
    t.teardown(() => gw.stop());
    const pebble = await startPebble({
      port: acmePort,
      httpPort: gw.gateway.ports.http,
      tlsPort: gw.gateway.ports.https,
    });
    t.teardown(() => pebble.stop());
    const host = 'dinkes.paserkab.go.id';
    const old = 'dinkes-paser.go.id';
    const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
      ...simpleHost(backend.origin),
      aliases: [{ name: old }],
    });
    t.equal(put.status, 201, JSON.stringify(put.body));

    const row = await waitFor('an ACME certificate for the alias', async () => {
      const list = (await gw.admin('GET', '/v1/certificates')).body as {
        certificates: Array<Record<string, unknown>>;
      };
      return list.certificates.find((c) => c.host === old && c.source === 'acme');
    });
    t.match(row, { names: [old], issuer: /Pebble/, lastError: null });

    const root = await pebble.issuingRoot();
    const served = await handshake(gw.gateway.ports.https, { servername: old, ca: root });
    t.equal(served.authorized, true, `the alias's chain verifies (${served.authorizationError})`);
    t.equal(served.peer.subjectaltname, `DNS:${old}`);
    const res = await httpsGet(gw.gateway.ports.https, old, '/berita?id=3', root);
    t.equal(res.status, 308);
    t.equal(res.headers.location, `https://${host}/berita?id=3`);
  },
);
