/** After a Redis restart the change feed picks up again: new writes reach the other instance. */
import t from 'tap';
import { RedisStore } from '../../src/store/redis-store.js';
import type { Change } from '../../src/store/store.js';
import { startRedis } from '../helpers/redis-server.js';
import { captureLogger, eventually, nextEvent, testPrefix } from './kit.js';

t.test('the change feed follows the restarted Redis', async (t) => {
  const redis = await startRedis();
  const { logger } = captureLogger();
  const prefix = testPrefix('resume');
  const options = { url: redis.url, prefix, logger, retryMinMs: 100, retryMaxMs: 200 };
  const a = new RedisStore(options);
  const b = new RedisStore(options);
  t.teardown(async () => {
    await a.close();
    await b.close();
    await redis.stop();
  });
  await a.start();
  await b.start();

  const seenByB: Change[] = [];
  b.on('change', (change) => {
    seenByB.push(change);
  });
  await a.put('hosts', 'before.paserkab.go.id', '{}');
  await eventually('the first put to reach B', () => seenByB.length === 1, 1_000);

  await redis.kill();
  await eventually('both to notice', () => a.state === 'disconnected' && b.state === 'disconnected', 1_000);
  const aBack = nextEvent(a, 'resync', 5_000);
  const bBack = nextEvent(b, 'resync', 5_000);
  await redis.restart();
  await Promise.all([aBack, bBack]);

  await a.put('hosts', 'after.paserkab.go.id', '{}');
  await eventually(
    'the put after the restart to reach B',
    () => seenByB.some((c) => c.id === 'after.paserkab.go.id'),
    1_000,
  );
  t.same(seenByB.at(-1), { ns: 'hosts', id: 'after.paserkab.go.id', op: 'put' });
});
