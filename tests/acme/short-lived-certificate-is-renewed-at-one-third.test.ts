import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake } from '../helpers/tls-client.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const LIFETIME_S = 24;

t.test(
  'a certificate is renewed once a third of its lifetime is left, and the new one is served',
  async (t) => {
    const acmePort = await freePort();
    const gw = await startAcmeGateway(acmePort);
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
    const firstNotBefore = Date.parse(first.valid_from);
    const firstNotAfter = Date.parse(first.valid_to);
    const lifetime = firstNotAfter - firstNotBefore;
    t.ok(lifetime <= LIFETIME_S * 1000 + 1000, `pebble issued a short-lived certificate (${lifetime} ms)`);

    const second = await waitFor(
      'a renewed certificate',
      async () => {
        const hs = await handshake(gw.gateway.ports.https, { servername: host, ca: root });
        return hs.peer.serialNumber !== first.serialNumber && hs.authorized ? hs.peer : undefined;
      },
      LIFETIME_S * 3 * 1000,
    );
    const renewedAt = Date.now();
    // Not before two thirds of the lifetime (second resolution of the dates: 1 s slack).
    t.ok(renewedAt >= firstNotBefore + (lifetime * 2) / 3 - 1000, 'not renewed before a third was left');
    t.ok(renewedAt < firstNotAfter, 'renewed before expiry');
    t.ok(Date.parse(second.valid_to) > firstNotAfter, 'the new certificate lasts longer');
    t.equal(await metricValue(gw.adminUrl, 'gerbang_acme_orders_total', { result: 'success' }), 2);
  },
);
