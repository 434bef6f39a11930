import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';

t.test(
  "an instance's ports are refused while it runs, and free again once it stops or its record expires",
  async (t) => {
    const redis = await startRedis();
    t.teardown(() => redis.stop());
    const a = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(() => a.stop());
    const statusOf = async (target: string) =>
      (await a.admin('PUT', '/v1/hosts/app.paserkab.go.id', { routes: [{ path: '/', targets: [target] }] }))
        .status;
    const until = async (target: string, wanted: number) => {
      let status = 0;
      for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
        status = await statusOf(target);
        if (status === wanted) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return status;
    };

    const b = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    const bAdmin = `http://127.0.0.1:${b.gateway.ports.admin}`;
    t.equal(await until(bAdmin, 400), 400, "b's admin port is refused while b runs");
    await b.stop();
    t.ok(
      [200, 201].includes(await until(bAdmin, 200)),
      'and accepted again once b has stopped (its record is gone)',
    );

    // Records as a crashed instance leaves them: one expired, one still fresh.
    const record = (port: number, expiresAt: number) =>
      JSON.stringify({ listeners: [{ host: '127.0.0.1', port }], expiresAt });
    await a.gateway.store.put('meta', 'instance:crashed-long-ago', record(41_001, Date.now() - 1_000));
    await a.gateway.store.put('meta', 'instance:alive', record(41_002, Date.now() + 60_000));
    t.equal(await until('http://127.0.0.1:41002', 400), 400, 'a live record is refused');
    t.equal(await statusOf('http://127.0.0.1:41001'), 200, 'an expired one is not');
    await a.gateway.store.put('meta', 'instance:broken', '{"listeners": "everything"}');
    t.equal(await statusOf('http://127.0.0.1:41003'), 200, 'a corrupt record is skipped, and nothing breaks');
  },
);
