/** A gateway starts with Redis down: start() returns promptly, the store says disconnected, and it connects once Redis is up. */
import t from 'tap';
import { RedisStore } from '../../src/store/redis-store.js';
import { freePort } from '../helpers/free-port.js';
import { startRedis } from '../helpers/redis-server.js';
import { captureLogger, LEVEL, nextEvent, testPrefix } from './kit.js';

t.test('start() does not wait for Redis, and the store connects when it appears', async (t) => {
  const port = await freePort();
  const { logger, lines } = captureLogger();
  const store = new RedisStore({
    url: `redis://127.0.0.1:${port}`,
    prefix: testPrefix('start'),
    logger,
    retryMinMs: 100,
    retryMaxMs: 200,
  });
  let stopRedis = async (): Promise<void> => {};
  t.teardown(async () => {
    await store.close();
    await stopRedis();
  });

  const startedAt = performance.now();
  await store.start();
  t.ok(
    performance.now() - startedAt < 2_000,
    `start() returned after ${Math.round(performance.now() - startedAt)} ms`,
  );
  t.equal(store.state, 'disconnected');
  await t.rejects(store.get('hosts', 'dinkes.paserkab.go.id'), { code: 'STORE_UNAVAILABLE' });
  await t.rejects(store.put('hosts', 'dinkes.paserkab.go.id', '{}'), { code: 'STORE_UNAVAILABLE' });

  // Several retries happen meanwhile; the operator should see one line, not one per retry.
  await new Promise((resolve) => setTimeout(resolve, 700));
  t.equal(lines.filter((line) => line.level >= LEVEL.warn).length, 1, 'one warning for the whole outage');

  const connected = nextEvent(store, 'state', 5_000, (state) => state === 'connected');
  const resync = nextEvent(store, 'resync', 5_000);
  const redis = await startRedis({ port });
  stopRedis = () => redis.stop();
  await connected;
  await resync;
  t.equal(store.state, 'connected');
  await store.put('hosts', 'dinkes.paserkab.go.id', '{}');
  t.equal(await store.get('hosts', 'dinkes.paserkab.go.id'), '{}', 'and then reads and writes work');
});
