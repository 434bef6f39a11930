import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake } from '../helpers/tls-client.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'POST /v1/certificates/{host}/renew orders a fresh certificate at once; refusals are clear',
  async (t) => {
    const acmePort = await freePort();
    const gw = await startAcmeGateway(acmePort);
    t.teardown(() => gw.stop());
    const pebble = await startPebble({
      port: acmePort,
      httpPort: gw.gateway.ports.http,
      tlsPort: gw.gateway.ports.https,
    });
    t.teardown(() => pebble.stop());
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
    const root = await pebble.issuingRoot();
    const serial = async () => {
      const hs = await handshake(gw.gateway.ports.https, { servername: host, ca: root });
      return hs.authorized ? hs.peer.serialNumber : undefined;
    };
    const first = await waitFor('the first certificate', serial);

    const renew = await gw.admin('POST', `/v1/certificates/${host}/renew`);
    t.match(renew, { status: 202, body: { host, status: 'ordering' } });
    const second = await waitFor('a renewed certificate', async () => {
      const now = await serial();
      return now !== first ? now : undefined;
    });
    t.not(second, first, 'a new certificate is served although the old one was far from expiry');

    t.match(await gw.admin('POST', '/v1/certificates/nope.paserkab.go.id/renew'), {
      status: 404,
      body: { error: { code: 'HOST_NOT_FOUND' } },
    });
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/*.dinkes.paserkab.go.id', simpleHost('http://127.0.0.1:9'))).status,
      201,
    );
    t.match(await gw.admin('POST', '/v1/certificates/*.dinkes.paserkab.go.id/renew'), {
      status: 409,
      body: { error: { code: 'DNS_HOOK_MISSING', message: /GERBANG_ACME_DNS_HOOK/ } },
    });
    t.match(await gw.admin('POST', `/v1/certificates/${host}/renew`, undefined, 'wrong-token-0123456789'), {
      status: 401,
    });

    const off = await startTestGateway();
    t.teardown(() => off.stop());
    t.equal((await off.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
    t.match(await off.admin('POST', `/v1/certificates/${host}/renew`), {
      status: 409,
      body: { error: { code: 'ACME_DISABLED' } },
    });
  },
);
