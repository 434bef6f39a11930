/** Embedded named locks: one holder at a time, free again after release or expiry, with a growing fence. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { captureLogger } from './kit.js';

t.test(
  'Embedded named locks: one holder at a time, free again after release or expiry, with a growing fence',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const store = new EmbeddedStore({ stateDir: dir, logger: captureLogger().logger });
    await store.start();

    const first = await store.tryLock('acme:dinkes.paserkab.go.id', 10_000);
    t.ok(first, 'a free lock is taken');
    t.equal(await store.tryLock('acme:dinkes.paserkab.go.id', 10_000), undefined, 'a held lock is refused');
    t.ok(await store.tryLock('acme:other.paserkab.go.id', 10_000), 'other names are independent');

    await first?.release();
    const second = await store.tryLock('acme:dinkes.paserkab.go.id', 50);
    t.ok(
      second && first && second.fence > first.fence,
      'after release it is taken again with a greater fence',
    );

    await sleep(80);
    const third = await store.tryLock('acme:dinkes.paserkab.go.id', 10_000);
    t.ok(
      third && second && third.fence > second.fence,
      'after expiry it is taken again with a greater fence',
    );
    await second?.release();
    t.equal(
      await store.tryLock('acme:dinkes.paserkab.go.id', 10_000),
      undefined,
      'releasing an expired lock does not free the current holder',
    );
    await store.close();
  },
);
