import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startPebble } from '../helpers/pebble.js';
import { startRedis } from '../helpers/redis-server.js';
import { handshake } from '../helpers/tls-client.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

t.test('the instance the CA reaches answers a token another instance stored', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const acmePort = await freePort();
  const env = { GERBANG_REDIS_URL: redis.url };
  // A never orders (no ACME), but it is the one the CA talks to; B orders.
  const a = await startTestGateway({ env });
  t.teardown(() => a.stop());
  const b = await startAcmeGateway(acmePort, { env });
  t.teardown(() => b.stop());
  const pebble = await startPebble({
    port: acmePort,
    httpPort: a.gateway.ports.http,
    tlsPort: a.gateway.ports.https,
  });
  t.teardown(() => pebble.stop());

  const probe = await http(`${a.url}/.well-known/acme-challenge/unknownTokenABCDEFGHIJ`, {
    host: 'anything.example',
  });
  t.equal(probe.status, 404, 'an unknown token is 404, whatever the host');

  const host = 'dinkes.paserkab.go.id';
  t.equal((await b.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
  const root = await pebble.issuingRoot();
  const served = await waitFor('the certificate on A', async () => {
    const hs = await handshake(a.gateway.ports.https, { servername: host, ca: root });
    return hs.authorized ? hs : undefined;
  });
  t.equal(served.peer.subjectaltname, `DNS:${host}`);
  t.equal(await metricValue(b.adminUrl, 'gerbang_acme_orders_total', { result: 'success' }), 1, 'B ordered');
  t.equal(await metricValue(a.adminUrl, 'gerbang_acme_orders_total'), 0, 'A did not');
});
