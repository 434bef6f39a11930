import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake } from '../helpers/tls-client.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const LIFETIME_S = 24;

t.test(
  'with the CA down, renewal fails with growing delays and the current certificate stays in service',
  async (t) => {
    const acmePort = await freePort();
    const gw = await startAcmeGateway(acmePort, { timings: { backoffMinMs: 1_000, backoffMaxMs: 4_000 } });
    t.teardown(() => gw.stop());
    const pebble = await startPebble({
      port: acmePort,
      httpPort: gw.gateway.ports.http,
      tlsPort: gw.gateway.ports.https,
      validitySeconds: LIFETIME_S,
    });
    t.teardown(() => pebble.stop());
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
    const root = await pebble.issuingRoot();
    const first = await waitFor('the first certificate', async () => {
      const hs = await handshake(gw.gateway.ports.https, { servername: host, ca: root });
      return hs.authorized ? hs.peer : undefined;
    });
    await pebble.stopCa();

    const failed = () => metricValue(gw.adminUrl, 'gerbang_acme_renewals_failed_total', { host });
    const backoff = () => metricValue(gw.adminUrl, 'gerbang_acme_backoff_seconds', { host });
    await waitFor('a first failure', async () => (await failed()) >= 1, LIFETIME_S * 2 * 1000);
    t.equal(await backoff(), 1, 'the first retry waits the minimum');
    await waitFor('a second failure', async () => (await failed()) >= 2, 30_000);
    t.equal(await backoff(), 2, 'the delay doubles');
    await waitFor('more failures', async () => (await failed()) >= 4, 30_000);
    t.equal(await backoff(), 4, 'and stops growing at the cap');
    t.equal(
      await metricValue(gw.adminUrl, 'gerbang_acme_orders_total', { result: 'failure' }),
      await failed(),
    );

    const served = await handshake(gw.gateway.ports.https, { servername: host });
    t.equal(served.peer.serialNumber, first.serialNumber, 'the old certificate is still served');
    const list = (await gw.admin('GET', '/v1/certificates')).body as {
      certificates: Array<Record<string, unknown>>;
    };
    const row = list.certificates.find((c) => c.host === host);
    t.match(
      row,
      { source: 'acme', serial: first.serialNumber, lastError: /\S/ },
      'the list shows the last error',
    );
    t.ok(Number(row?.failures) >= 4);
  },
);
