/** With Redis dead, writes and reads fail at once with STORE_UNAVAILABLE, and no write is ever half applied. */
import { Redis } from 'ioredis';
import t from 'tap';
import { isGerbangError } from '../../src/errors.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { storeKey } from '../../src/store/store.js';
import { startRedis } from '../helpers/redis-server.js';
import { captureLogger, eventually, nextEvent, testPrefix } from './kit.js';

const BURST = 300;

t.test('writes fail fast while Redis is down and are all-or-nothing across a crash', async (t) => {
  // Persistent (fsync on every write), so what survives the crash can be inspected after the restart.
  const redis = await startRedis({ persistent: true });
  const { logger } = captureLogger();
  const prefix = testPrefix('down');
  const store = new RedisStore({ url: redis.url, prefix, logger, retryMinMs: 100, retryMaxMs: 200 });
  const raw = new Redis(redis.url, { lazyConnect: true });
  t.teardown(async () => {
    raw.disconnect();
    await store.close();
    await redis.stop();
  });
  await store.start();
  await store.put('hosts', 'before.paserkab.go.id', '{}');

  // A burst in flight when Redis dies: some writes land, some do not, none may land half.
  const burst = Array.from({ length: BURST }, (_, i) =>
    store.put('hosts', `burst-${i}`, `{"n":${i}}`).then(
      () => 'ok' as const,
      (err: unknown) => err,
    ),
  );
  await redis.kill();

  const killedAt = performance.now();
  const whileDown = store.put('hosts', 'while-down.paserkab.go.id', '{}');
  await t.rejects(whileDown, { code: 'STORE_UNAVAILABLE' }, 'a put right after the crash is refused');
  t.ok(performance.now() - killedAt < 1_000, `refused after ${Math.round(performance.now() - killedAt)} ms`);

  const outcomes = await Promise.all(burst);
  const failures = outcomes.filter((o) => o !== 'ok');
  t.same(
    failures.filter((err) => !(isGerbangError(err) && err.code === 'STORE_UNAVAILABLE')),
    [],
    'every failed burst write reports STORE_UNAVAILABLE',
  );
  await eventually('the store to notice', () => store.state === 'disconnected', 1_000);

  const downAt = performance.now();
  await t.rejects(store.put('hosts', 'x', '{}'), { code: 'STORE_UNAVAILABLE' });
  await t.rejects(store.delete('hosts', 'before.paserkab.go.id'), { code: 'STORE_UNAVAILABLE' });
  await t.rejects(store.get('hosts', 'before.paserkab.go.id'), { code: 'STORE_UNAVAILABLE' });
  await t.rejects(store.getAll('hosts'), { code: 'STORE_UNAVAILABLE' });
  await t.rejects(store.tryLock('acme', 1_000), { code: 'STORE_UNAVAILABLE' });
  t.ok(performance.now() - downAt < 100, 'while disconnected nothing waits for a timeout');

  const back = nextEvent(store, 'state', 5_000, (state) => state === 'connected');
  await redis.restart();
  await back;

  await raw.connect();
  const hash = await raw.hgetall(storeKey(prefix, 'hosts'));
  const announced = new Set(
    (await raw.xrange(`${prefix}changes`, '-', '+'))
      .map(([, fields]) => fields)
      .filter((fields) => fields.includes('put'))
      .map((fields) => fields[fields.indexOf('id') + 1]),
  );
  const halfApplied = Array.from({ length: BURST }, (_, i) => `burst-${i}`).filter(
    (id) => Object.hasOwn(hash, id) !== announced.has(id),
  );
  t.same(halfApplied, [], 'each burst write is either stored and announced, or neither');
  const lost = outcomes.flatMap((o, i) =>
    o === 'ok' && !Object.hasOwn(hash, `burst-${i}`) ? [`burst-${i}`] : [],
  );
  t.same(lost, [], 'every acknowledged write survived the crash');
  t.notOk(Object.hasOwn(hash, 'while-down.paserkab.go.id'), 'a refused write did not happen later');
  t.comment(`burst: ${BURST - failures.length} stored before the crash, ${failures.length} refused`);
});
