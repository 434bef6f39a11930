import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const LIFETIME_S = 15;

t.test('a removed host is no longer renewed', async (t) => {
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
  const kept = 'dinkes.paserkab.go.id';
  const removed = 'disdik.paserkab.go.id';
  for (const host of [kept, removed]) {
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
  }
  const orders = () => metricValue(gw.adminUrl, 'gerbang_acme_orders_total', { result: 'success' });
  await waitFor('both certificates', async () => (await orders()) >= 2);
  t.equal((await gw.admin('DELETE', `/v1/hosts/${removed}`)).status, 204);

  // Past the renewal point of both: the kept host renews, the removed one does not.
  await waitFor('the kept host renewed', async () => (await orders()) >= 3, LIFETIME_S * 3 * 1000);
  await sleep(2_000);
  const list = (await gw.admin('GET', '/v1/certificates')).body as {
    certificates: Array<Record<string, unknown>>;
  };
  const before = list.certificates.find((c) => c.host === removed);
  t.ok(before, 'the removed host keeps its last certificate in the list');
  t.ok(Date.parse(String(before?.notAfter)) < Date.now() + (LIFETIME_S * 1000) / 3, 'which was not renewed');
  t.equal(await orders(), 3, 'one renewal only: the kept host');
});
