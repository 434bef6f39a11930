import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { ADMIN_PASSWORD, MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  '/konsol/admin/sistem shows "redis, connected", every instance, then "disconnected" once Redis is killed',
  async (t) => {
    const redis = await startRedis();
    t.teardown(() => redis.stop());
    const gw = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(() => gw.stop());
    const peer = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(() => peer.stop());
    await seedUsers(gw);

    const admin = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    const page = await waitFor('both instances listed', async () => {
      const p = await admin.get('/konsol/admin/sistem?lang=en');
      return (p.text.match(/data-instance="/g) ?? []).length === 2 ? p : undefined;
    });
    t.equal(page.status, 200);
    t.match(page.text, /data-store-kind="redis">redis</, 'the store is Redis');
    t.match(page.text, /data-store-connected="true">connected</, 'and connected');
    t.match(page.text, /data-staleness="0"/, 'with no lag');
    t.match(page.text, /data-suspect="false"/, 'and no recovery pending');
    t.match(page.text, `:${gw.gateway.ports.admin}</code>`, "this instance's listeners");
    t.match(page.text, `:${peer.gateway.ports.admin}</code>`, "and the other instance's");
    const api = await gw.admin('GET', '/v1/instances');
    t.equal(
      (api.body as { instances: unknown[] }).instances.length,
      2,
      'GET /v1/instances lists the same two',
    );
    t.match(api.body, { instances: [{ self: true, version: /\d+\.\d+/ }, { self: false }] });

    const member = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    t.equal(
      (await member.get('/konsol/admin/sistem')).status,
      403,
      'members may not see it, as /v1/store refuses them',
    );
    t.equal((await gw.admin('GET', '/v1/store')).status, 200);

    await redis.kill();
    const down = await waitFor('the page says disconnected', async () => {
      const p = await admin.get('/konsol/admin/sistem?lang=en');
      return p.text.includes('data-store-connected="false"') ? p : undefined;
    });
    t.match(down.text, />disconnected</, 'the store is shown disconnected');
    t.match(down.text, /data-staleness="\d+"/, 'with the lag since the last sync');
    t.match((await admin.get('/konsol/admin/sistem')).text, />terputus</, 'in Indonesian too');
  },
);
