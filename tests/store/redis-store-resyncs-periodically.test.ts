/** While connected, the Redis store asks for a full resync every resyncIntervalMs, healing anything the feed missed. */
import t from 'tap';
import { RedisStore } from '../../src/store/redis-store.js';
import { startRedis } from '../helpers/redis-server.js';
import { captureLogger, eventually, testPrefix } from './kit.js';

t.test('resync is emitted on a timer, and not after close()', async (t) => {
  const redis = await startRedis();
  const store = new RedisStore({
    url: redis.url,
    prefix: testPrefix('periodic'),
    logger: captureLogger().logger,
    resyncIntervalMs: 100,
  });
  t.teardown(async () => {
    await store.close();
    await redis.stop();
  });
  await store.start();

  let resyncs = 0;
  store.on('resync', () => {
    resyncs++;
  });
  await eventually('three periodic resyncs', () => resyncs >= 3, 1_000);
  t.pass(`${resyncs} resyncs`);

  await store.close();
  const atClose = resyncs;
  await new Promise((resolve) => setTimeout(resolve, 300));
  t.equal(resyncs, atClose, 'the timer stops with close()');
});
