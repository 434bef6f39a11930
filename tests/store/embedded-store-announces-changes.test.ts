/** An embedded store emits `change` for each write once it is on disk (a refused write is never announced), and only for real changes. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import type { Change } from '../../src/store/store.js';
import { captureLogger } from './kit.js';

t.test(
  'An embedded store emits `change` for each write once it is on disk, and only for real changes',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const store = new EmbeddedStore({ stateDir: dir, logger: captureLogger().logger });
    await store.start();
    t.equal(store.state, 'connected');

    const changes: Change[] = [];
    const listener = (change: Change): void => {
      changes.push(change);
    };
    store.on('change', listener);
    store.on('change', () => {
      throw new Error('a broken listener must not break the write');
    });

    const put = store.put('hosts', 'a.paserkab.go.id', '{}');
    t.same(changes, [], 'not announced while the write is not yet durable');
    await put;
    t.same(
      changes,
      [{ ns: 'hosts', id: 'a.paserkab.go.id', op: 'put' }],
      'announced by the time put() resolves',
    );
    await store.delete('hosts', 'a.paserkab.go.id');
    await store.delete('hosts', 'never.paserkab.go.id');
    t.same(changes.at(-1), { ns: 'hosts', id: 'a.paserkab.go.id', op: 'delete' });
    t.equal(changes.length, 2, 'deleting a missing id announces nothing');

    store.off('change', listener);
    await store.put('hosts', 'b.paserkab.go.id', '{}');
    t.equal(changes.length, 2, 'off() stops delivery');
    await store.close();
  },
);
