import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';
import { createTestCa } from '../helpers/test-ca.js';
import { handshake } from '../helpers/tls-client.js';

const HOST = 'dinkes.paserkab.go.id';

t.test('an export of an embedded-store instance restores onto a fresh Redis-backed one', async (t) => {
  const backend = await startBackend(echoHandler('dinkes'));
  t.teardown(() => backend.stop());
  const source = await startTestGateway();
  t.teardown(() => source.stop());
  await source.admin('PUT', '/v1/agencies/dinkes', { name: 'Dinas Kesehatan', contact: 'a@b', owns: [HOST] });
  await source.admin('PUT', `/v1/hosts/${HOST}`, { ...simpleHost(backend.origin), agency: 'dinkes' });
  const ca = await createTestCa();
  await source.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST]));
  const exported = await source.admin('GET', '/v1/export?certificates=true');

  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const fresh = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
  t.teardown(() => fresh.stop());
  const restored = await fresh.admin('POST', '/v1/import', exported.body);
  t.equal(restored.status, 200, JSON.stringify(restored.body));

  const res = await http(`${fresh.url}/`, { host: HOST });
  t.equal(
    JSON.parse(res.body).backend,
    'dinkes',
    'the host reaches its backend through the Redis-backed instance',
  );
  const served = await handshake(fresh.gateway.ports.https, { servername: HOST, ca: ca.certificate });
  t.equal(served.authorized, true, 'and its uploaded certificate is served');
  const again = (await fresh.admin('GET', '/v1/export?certificates=true')).body as Record<string, unknown>;
  t.same(
    { ...again, exportedAt: '' },
    { ...(exported.body as object), exportedAt: '' },
    'it exports the same document',
  );
});
