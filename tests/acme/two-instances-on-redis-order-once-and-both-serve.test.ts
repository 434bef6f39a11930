import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { startRedis } from '../helpers/redis-server.js';
import { handshake } from '../helpers/tls-client.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

t.test('two instances on one Redis order a host once, and both serve the certificate', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const acmePort = await freePort();
  const env = { GERBANG_REDIS_URL: redis.url };
  const a = await startAcmeGateway(acmePort, { env });
  t.teardown(() => a.stop());
  const b = await startAcmeGateway(acmePort, { env });
  t.teardown(() => b.stop());
  // The CA reaches instance A only: when B orders, A answers B's token from the shared store.
  const pebble = await startPebble({
    port: acmePort,
    httpPort: a.gateway.ports.http,
    tlsPort: a.gateway.ports.https,
  });
  t.teardown(() => pebble.stop());

  const hosts = ['dinkes.paserkab.go.id', 'disdik.paserkab.go.id', 'bappeda.paserkab.go.id'];
  for (const [i, host] of hosts.entries()) {
    const via = i % 2 === 0 ? a : b;
    t.equal((await via.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
  }
  const root = await pebble.issuingRoot();
  for (const gw of [a, b]) {
    for (const host of hosts) {
      const served = await waitFor(`${host} served by an instance`, async () => {
        const hs = await handshake(gw.gateway.ports.https, { servername: host, ca: root });
        return hs.authorized ? hs : undefined;
      });
      t.equal(
        served.peer.subjectaltname,
        `DNS:${host}`,
        `${host} is served with a chain pebble's root trusts`,
      );
    }
  }
  const serials = async (port: number) =>
    Promise.all(hosts.map(async (servername) => (await handshake(port, { servername })).peer.serialNumber));
  t.same(
    await serials(a.gateway.ports.https),
    await serials(b.gateway.ports.https),
    'the same certificates on both',
  );

  // Several scheduler rounds later, still one order per host across the cluster.
  await sleep(2_000);
  const orders = async (result: string) =>
    (await metricValue(a.adminUrl, 'gerbang_acme_orders_total', { result })) +
    (await metricValue(b.adminUrl, 'gerbang_acme_orders_total', { result }));
  t.equal(await orders('success'), hosts.length, 'exactly one order per host');
  t.comment(
    `orders by A: ${await metricValue(a.adminUrl, 'gerbang_acme_orders_total')}, by B: ${await metricValue(b.adminUrl, 'gerbang_acme_orders_total')}`,
  );
  t.equal(await orders('failure'), 0);
});
