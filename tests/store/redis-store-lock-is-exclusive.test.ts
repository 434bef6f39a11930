/** A named lock in Redis has one holder across instances; after release or expiry it is taken with a greater fence. */
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { twoStoresOnOneRedis } from './kit.js';

t.test('two instances contend for one lock name', async (t) => {
  const { a, b } = await twoStoresOnOneRedis(t, 'lock');
  const name = 'acme:dinkes.paserkab.go.id';

  const first = await a.tryLock(name, 10_000);
  t.ok(first, 'A takes the free lock');
  t.equal(await b.tryLock(name, 10_000), undefined, 'B is refused while A holds it');
  t.equal(await a.tryLock(name, 10_000), undefined, 'A itself is refused too: the lock is not re-entrant');

  await first?.release();
  const second = await b.tryLock(name, 200);
  t.ok(second, 'B takes it after A released');
  t.ok(
    second && first && second.fence > first.fence,
    `with a greater fence (${first?.fence} → ${second?.fence})`,
  );

  await sleep(300);
  const third = await a.tryLock(name, 10_000);
  t.ok(third, "A takes it once B's lock expired");
  t.ok(
    third && second && third.fence > second.fence,
    `with a greater fence (${second?.fence} → ${third?.fence})`,
  );

  await second?.release();
  t.equal(await b.tryLock(name, 10_000), undefined, "B's late release of its expired lock does not free A's");
});
