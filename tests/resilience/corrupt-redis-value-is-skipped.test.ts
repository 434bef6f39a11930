import { Redis } from 'ioredis';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';

t.test(
  'a corrupt value in Redis is reported with its key and skipped; other hosts keep working',
  async (t) => {
    const redis = await startRedis();
    const backend = await startBackend();
    const raw = new Redis(redis.url);
    await raw.hset('gerbang:hosts', 'rusak.paserkab.go.id', '{not json');
    await raw.hset(
      'gerbang:hosts',
      'aneh.paserkab.go.id',
      JSON.stringify({ host: 'aneh.paserkab.go.id', routes: 'nope' }),
    );
    const lines: Array<Record<string, unknown>> = [];
    const gw = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url }, logLines: lines });
    t.teardown(async () => {
      await gw.stop();
      await raw.quit();
      await backend.stop();
      await redis.stop();
    });

    t.equal(
      (await gw.admin('PUT', '/v1/hosts/sehat.paserkab.go.id', simpleHost(backend.origin))).status,
      201,
    );
    t.equal(
      (await http(`${gw.url}/`, { host: 'sehat.paserkab.go.id' })).status,
      200,
      'the gateway runs and serves',
    );
    for (const key of ['rusak.paserkab.go.id', 'aneh.paserkab.go.id']) {
      t.ok(
        lines.some((l) => l.key === key && l.msg === 'corrupt host value skipped'),
        `the log names the corrupt key ${key}`,
      );
    }

    // A good host later overwritten with garbage keeps its last good definition.
    await raw.hset('gerbang:hosts', 'sehat.paserkab.go.id', '][');
    await raw.xadd(
      'gerbang:changes',
      '*',
      'ns',
      'hosts',
      'id',
      'sehat.paserkab.go.id',
      'op',
      'put',
      'origin',
      'test',
    );
    await new Promise((r) => setTimeout(r, 500));
    t.equal(
      (await http(`${gw.url}/`, { host: 'sehat.paserkab.go.id' })).status,
      200,
      'the last good definition stays',
    );
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    t.match(metrics, /gerbang_store_corrupt_values_total\{ns="hosts"\} [3-9]/);
  },
);
