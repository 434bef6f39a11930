import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';

async function eventually(check: () => Promise<boolean>, timeoutMs = 8000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

t.test(
  'Redis down: routes keep working, also across a restart; writes fail clearly; changes arrive once it is back',
  async (t) => {
    const redis = await startRedis({ persistent: true });
    const backend = await startBackend(echoHandler('dinkes'));
    const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-redis-down-'));
    const env = { GERBANG_REDIS_URL: redis.url };
    let gw = await startTestGateway({ env, stateDir });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
      await redis.stop();
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
    await gw.gateway.publisher.settle();

    await redis.kill();
    t.equal(
      (await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' })).status,
      200,
      'still routed with Redis gone',
    );
    const write = await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', simpleHost(backend.origin));
    t.equal(write.status, 503, 'a write while Redis is down is refused');
    t.match(write.body, { error: { code: 'STORE_UNAVAILABLE' } });
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    t.match(metrics, /gerbang_store_connected\{store="redis"\} 0/, 'the store state is exported');

    // A restart of Gerbang itself while Redis is still down routes from the local copy of the last snapshot.
    await gw.stop();
    gw = await startTestGateway({ env, stateDir });
    t.equal(
      (await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' })).status,
      200,
      'routed after a restart, Redis still down',
    );
    t.equal(
      (await http(`${gw.url}/`, { host: 'disdik.paserkab.go.id' })).status,
      404,
      'the refused write was not half-applied',
    );
    t.equal((await fetch(`${gw.adminUrl}/readyz`)).status, 200, 'ready: a route table is loaded');

    // Redis returns, with a change another instance made meanwhile.
    await redis.restart();
    const raw = new Redis(redis.url);
    t.teardown(() => raw.quit());
    const doc = {
      host: 'disdik.paserkab.go.id',
      routes: [{ path: '/', targets: [backend.origin] }],
      updatedAt: new Date().toISOString(),
    };
    // As another instance writes it: the value and its change-feed entry. Whether this instance reconnects before
    // (it reads the feed) or after (it resyncs everything), it must pick the host up.
    await raw
      .multi()
      .hset('gerbang:hosts', 'disdik.paserkab.go.id', JSON.stringify(doc))
      .xadd(
        'gerbang:changes',
        '*',
        'ns',
        'hosts',
        'id',
        'disdik.paserkab.go.id',
        'op',
        'put',
        'origin',
        'other',
      )
      .exec();
    t.ok(
      await eventually(
        async () => (await http(`${gw.url}/`, { host: 'disdik.paserkab.go.id' })).status === 200,
      ),
      'the change made while this instance was cut off is picked up once Redis is back',
    );
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', simpleHost(backend.origin))).status,
      200,
      'writes work again',
    );
  },
);
