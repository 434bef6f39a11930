import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake, httpsGet } from '../helpers/tls-client.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

t.test('a registered host gets a certificate from the CA through HTTP-01 and serves it', async (t) => {
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
  t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin))).status, 201);

  const row = await waitFor('an ACME certificate in the list', async () => {
    const list = (await gw.admin('GET', '/v1/certificates')).body as {
      certificates: Array<Record<string, unknown>>;
    };
    return list.certificates.find((c) => c.host === host && c.source === 'acme');
  });
  t.match(row, { names: [host], issuer: /Pebble/, lastError: null });

  const root = await pebble.issuingRoot();
  const served = await handshake(gw.gateway.ports.https, { servername: host, ca: root });
  t.equal(
    served.authorized,
    true,
    `the served chain verifies against pebble's root (${served.authorizationError})`,
  );
  t.equal(served.peer.subjectaltname, `DNS:${host}`);
  const res = await httpsGet(gw.gateway.ports.https, host, '/', root);
  t.equal(JSON.parse(res.body).backend, 'dinkes');

  t.equal(await metricValue(gw.adminUrl, 'gerbang_acme_orders_total', { result: 'success' }), 1);
  t.same(
    [...(await gw.gateway.store.getAll('challenges')).keys()],
    [],
    'challenge tokens are cleared afterwards',
  );
  const unregistered = await handshake(gw.gateway.ports.https, { servername: 'other.paserkab.go.id' });
  t.match(
    unregistered.peer.subject,
    { CN: 'gerbang.invalid' },
    'nothing is ordered for names that are not registered',
  );
});
