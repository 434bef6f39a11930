import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { createTestCa } from '../helpers/test-ca.js';
import { handshake } from '../helpers/tls-client.js';

const DINKES = 'dinkes.paserkab.go.id';
const DISDIK = 'disdik.paserkab.go.id';

async function directory(gw: TestGateway): Promise<unknown> {
  const res = await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' });
  const data = JSON.parse(res.body) as {
    agencies: Array<{
      id: string;
      name: string;
      services: Array<{ host: string; name: string; url: string }>;
    }>;
  };
  return data.agencies.map((a) => [a.id, a.name, a.services.map((s) => [s.host, s.name, s.url])]);
}

t.test(
  'an export (with certificates) restored onto a fresh instance routes, lists and serves TLS the same',
  async (t) => {
    const dinkes = await startBackend(echoHandler('dinkes'));
    const disdik = await startBackend(echoHandler('disdik'));
    t.teardown(async () => {
      await dinkes.stop();
      await disdik.stop();
    });
    const source = await startTestGateway();
    t.teardown(() => source.stop());
    await source.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'a@b',
      owns: [DINKES],
    });
    await source.admin('PUT', `/v1/hosts/${DINKES}`, {
      ...simpleHost(dinkes.origin),
      agency: 'dinkes',
      app: { name: 'Portal Dinas Kesehatan', category: 'Kesehatan' },
    });
    await source.admin('PUT', `/v1/hosts/${DISDIK}`, {
      ...simpleHost(disdik.origin),
      app: { name: 'Portal Pendidikan' },
    });
    const ca = await createTestCa();
    t.equal((await source.admin('PUT', `/v1/certificates/${DINKES}`, await ca.issue([DINKES]))).status, 201);

    const exported = await source.admin('GET', '/v1/export?certificates=true');
    t.equal(exported.status, 200);

    const fresh = await startTestGateway();
    t.teardown(() => fresh.stop());
    t.equal(
      (await http(`${fresh.url}/`, { host: DINKES })).status,
      404,
      'the fresh instance knows nothing yet',
    );
    const restored = await fresh.admin('POST', '/v1/import', exported.body);
    t.equal(restored.status, 200, JSON.stringify(restored.body));
    t.match(restored.body, { applied: true, summary: { create: 4, change: 0, remove: 0 } });

    for (const [host, backend] of [
      [DINKES, 'dinkes'],
      [DISDIK, 'disdik'],
    ] as const) {
      const res = await http(`${fresh.url}/x`, { host });
      t.equal(res.status, 200, `${host} is routed`);
      t.equal(JSON.parse(res.body).backend, backend, `${host} reaches the same backend`);
    }
    const listed = await directory(source);
    t.equal((listed as unknown[]).length, 2, 'the source lists both agencies');
    t.same(await directory(fresh), listed, 'layanan.json lists the same services');

    const before = await handshake(source.gateway.ports.https, { servername: DINKES, ca: ca.certificate });
    const after = await handshake(fresh.gateway.ports.https, { servername: DINKES, ca: ca.certificate });
    t.equal(after.authorized, true, 'the restored certificate is trusted as the uploaded one');
    t.equal(after.peer.serialNumber, before.peer.serialNumber, 'it is the same certificate');
    t.equal(after.peer.fingerprint256, before.peer.fingerprint256);
  },
);
