import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake } from '../helpers/tls-client.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

t.test(
  'a CA that rejects nonces (badNonce) still issues in one order: the request is retried at once',
  async (t) => {
    const acmePort = await freePort();
    // A failed order would back off for a minute: the certificate arriving quickly shows no order failed.
    const gw = await startAcmeGateway(acmePort, { timings: { backoffMinMs: 60_000 } });
    t.teardown(() => gw.stop());
    const pebble = await startPebble({
      port: acmePort,
      httpPort: gw.gateway.ports.http,
      tlsPort: gw.gateway.ports.https,
      // acme-client retries a badNonce 5 times: an order fails only if one of its ~15 signed requests is
      // refused 6 times running, 0.25^6 per request (~0.4 % an order). At 40 % it was ~6 %: a flaky test.
      nonceRejectPercent: 25,
    });
    t.teardown(() => pebble.stop());
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
    const root = await pebble.issuingRoot();
    await waitFor(
      'the certificate',
      async () => (await handshake(gw.gateway.ports.https, { servername: host, ca: root })).authorized,
      30_000,
    );
    t.equal(await metricValue(gw.adminUrl, 'gerbang_acme_orders_total', { result: 'success' }), 1);
    t.equal(await metricValue(gw.adminUrl, 'gerbang_acme_orders_total', { result: 'failure' }), 0);
  },
);
