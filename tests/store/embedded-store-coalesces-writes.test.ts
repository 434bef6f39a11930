/** Concurrent writes share journal appends (fsyncs), yet each put resolves only once its own change is on disk. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { JOURNAL_FILE_NAME } from '../../src/store/state-journal.js';
import { captureLogger } from './kit.js';

t.test(
  'Concurrent writes share journal appends (fsyncs), yet each put resolves only once its own change is on disk',
  async (t) => {
    const COUNT = 10_000;
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const { logger } = captureLogger();
    const file = join(dir, JOURNAL_FILE_NAME);

    const store = new EmbeddedStore({ stateDir: dir, logger });
    await store.start();

    const notOnDiskWhenResolved: string[] = [];
    const puts: Promise<void>[] = [];
    for (let i = 0; i < COUNT; i++) {
      const id = `h${i}.paserkab.go.id`;
      const put = store.put('hosts', id, `{"n":${i}}`);
      if (i % 997 === 0) {
        // Read synchronously at resolution time: nothing else can write in between.
        puts.push(
          put.then(() => {
            if (!readFileSync(file, 'utf8').includes(`"${id}"`)) notOnDiskWhenResolved.push(id);
          }),
        );
      } else {
        puts.push(put);
      }
    }
    await Promise.all(puts);

    t.same(notOnDiskWhenResolved, [], 'every put resolved only after its change was in the journal');
    t.ok(
      store.flushCount >= 1 && store.flushCount <= 5,
      `${COUNT} concurrent puts took ${store.flushCount} appends`,
    );

    const before = store.flushCount;
    await store.put('hosts', 'one-more.paserkab.go.id', '{}');
    t.equal(store.flushCount, before + 1, 'a lone put after that costs exactly one append');
    await store.close();

    const reopened = new EmbeddedStore({ stateDir: dir, logger });
    await reopened.start();
    t.equal((await reopened.getAll('hosts')).size, COUNT + 1, 'all of them are on disk');
    await reopened.close();
  },
);
