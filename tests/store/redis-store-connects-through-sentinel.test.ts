/** A redis+sentinel:// URL is followed: the store asks Sentinel for the master and works against it. */
import { Redis } from 'ioredis';
import t from 'tap';
import { RedisStore } from '../../src/store/redis-store.js';
import { storeKey } from '../../src/store/store.js';
import { startRedis, startRedisSentinel } from '../helpers/redis-server.js';
import { captureLogger, testPrefix } from './kit.js';

t.test('the store reaches the master that Sentinel names', async (t) => {
  const master = await startRedis();
  const sentinel = await startRedisSentinel(master, 'gerbang-master');
  const prefix = testPrefix('sentinel');
  const store = new RedisStore({
    url: `redis+sentinel://127.0.0.1:${sentinel.port}/gerbang-master`,
    prefix,
    logger: captureLogger().logger,
  });
  const raw = new Redis(master.url, { lazyConnect: true });
  t.teardown(async () => {
    raw.disconnect();
    await store.close();
    await sentinel.stop();
    await master.stop();
  });

  await store.start();
  t.equal(store.state, 'connected');
  await store.put('hosts', 'dinkes.paserkab.go.id', '{}');
  await raw.connect();
  t.equal(
    await raw.hget(storeKey(prefix, 'hosts'), 'dinkes.paserkab.go.id'),
    '{}',
    'the write is on the master',
  );
});
