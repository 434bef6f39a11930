import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test('two instances on one Redis: a user removed on one is signed out on the other', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const env = { GERBANG_REDIS_URL: redis.url };
  const a = await startTestGateway({ env });
  t.teardown(() => a.stop());
  const b = await startTestGateway({ env });
  t.teardown(() => b.stop());
  const { memberId } = await seedUsers(a);

  const browser = new KonsolClient(b.adminUrl);
  t.teardown(() => browser.close());
  t.equal((await browser.login('budi', MEMBER_PASSWORD)).status, 303, 'a user made on A signs in on B');
  t.equal((await browser.get('/konsol/')).status, 200);

  const started = Date.now();
  t.equal((await a.admin('DELETE', `/v1/users/${memberId}`)).status, 204);
  await waitFor(
    'B to end the session',
    async () => (await browser.get('/konsol/')).status === 303,
    10_000,
    50,
  );
  t.comment(`signed out on B ${Date.now() - started} ms after the removal on A`);
  t.ok(Date.now() - started < 5_000, 'within the local cache time, not at some resync');
});
