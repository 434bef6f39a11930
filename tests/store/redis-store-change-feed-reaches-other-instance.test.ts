/** Two gateways on one Redis: a write on one reaches the other as a `change` event within a second. */
import t from 'tap';
import type { Change } from '../../src/store/store.js';
import { eventually, twoStoresOnOneRedis } from './kit.js';

t.test('a put or delete on one instance reaches another through the change feed', async (t) => {
  const { a, b } = await twoStoresOnOneRedis(t, 'feed');
  t.equal(a.state, 'connected');
  t.equal(b.state, 'connected');

  const seenByB: Change[] = [];
  b.on('change', (change) => {
    seenByB.push(change);
  });
  const value = JSON.stringify({ host: 'dinkes.paserkab.go.id', agency: 'dinkes' });

  const putAt = Date.now();
  await a.put('hosts', 'dinkes.paserkab.go.id', value);
  await eventually(
    'the put to reach B',
    () => seenByB.some((c) => c.id === 'dinkes.paserkab.go.id' && c.op === 'put'),
    1_000,
  );
  t.ok(Date.now() - putAt < 1_000, `B saw the put after ${Date.now() - putAt} ms`);
  t.same(seenByB[0], { ns: 'hosts', id: 'dinkes.paserkab.go.id', op: 'put' });
  t.equal(await b.get('hosts', 'dinkes.paserkab.go.id'), value, 'and reads the value A wrote');

  t.equal(await a.delete('hosts', 'dinkes.paserkab.go.id'), true);
  await eventually('the delete to reach B', () => seenByB.some((c) => c.op === 'delete'), 1_000);
  t.same(seenByB.at(-1), { ns: 'hosts', id: 'dinkes.paserkab.go.id', op: 'delete' });
  t.equal(await b.get('hosts', 'dinkes.paserkab.go.id'), undefined);

  // The feed is ordered: once the marker arrives, a change for the missing id would have arrived before it.
  t.equal(await a.delete('hosts', 'tidak-ada.paserkab.go.id'), false, 'deleting a missing id reports false');
  await a.put('agencies', 'marker', '{}');
  await eventually('the marker to reach B', () => seenByB.some((c) => c.id === 'marker'), 1_000);
  t.notOk(
    seenByB.some((c) => c.id === 'tidak-ada.paserkab.go.id'),
    'a delete that removed nothing is not announced',
  );
});
