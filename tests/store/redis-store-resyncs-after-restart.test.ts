/** After Redis comes back, the store says so and asks for a resync, which finds what changed while it was away. */
import { Redis } from 'ioredis';
import t from 'tap';
import { RedisStore } from '../../src/store/redis-store.js';
import { storeKey } from '../../src/store/store.js';
import { startRedis } from '../helpers/redis-server.js';
import { captureLogger, eventually, LEVEL, nextEvent, testPrefix } from './kit.js';

t.test('a reconnect emits connected then resync, and getAll sees writes made meanwhile', async (t) => {
  const redis = await startRedis();
  const { logger, lines } = captureLogger();
  const prefix = testPrefix('resync');
  // A fixed, slow retry leaves a window to write behind the store's back after Redis is up again.
  const store = new RedisStore({ url: redis.url, prefix, logger, retryMinMs: 1_500, retryMaxMs: 1_500 });
  const raw = new Redis(redis.url, { lazyConnect: true });
  t.teardown(async () => {
    raw.disconnect();
    await store.close();
    await redis.stop();
  });
  await store.start();
  await store.put('hosts', 'before.paserkab.go.id', '{}');

  const events: string[] = [];
  store.on('state', (state) => events.push(`state:${state}`));
  store.on('resync', () => events.push('resync'));

  await redis.kill();
  await eventually('the store to notice', () => store.state === 'disconnected', 1_000);
  await redis.restart();
  await raw.connect();
  // Only the hash, no feed entry: nothing but a resync can reveal this write.
  await raw.hset(storeKey(prefix, 'hosts'), 'written-meanwhile.paserkab.go.id', '{"by":"another instance"}');
  t.equal(store.state, 'disconnected', 'the write happened while the store was still disconnected');

  await nextEvent(store, 'resync', 5_000);
  t.same(events, ['state:disconnected', 'state:connected', 'resync'], 'disconnected, connected, then resync');
  const hosts = await store.getAll('hosts');
  t.equal(hosts.get('written-meanwhile.paserkab.go.id'), '{"by":"another instance"}', 'getAll sees it');

  const lostLines = lines.filter((line) => line.level === LEVEL.warn && /lost connection/.test(line.msg));
  t.equal(lostLines.length, 1, 'the outage is logged once, not once per retry');
});
