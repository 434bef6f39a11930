/** Writes go to an append-only journal that is folded into the state file once it outgrows it, and at close; nothing is lost on the way. */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore, STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { JOURNAL_FILE_NAME } from '../../src/store/state-journal.js';
import { captureLogger } from './kit.js';

async function size(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

t.test('the journal is folded into the state file once it outgrows it, and at close', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const { logger } = captureLogger();
  const store = new EmbeddedStore({ stateDir: dir, logger, compactBytes: 4096 });
  await store.start();

  const value = 'x'.repeat(200);
  for (let i = 0; i < 200; i++) await store.put('hosts', `h${i}.paserkab.go.id`, `"${i}${value}"`);
  await store.delete('hosts', 'h7.paserkab.go.id');
  t.ok(store.compactions > 0, `the journal was folded ${store.compactions} times during 201 writes`);
  t.ok(store.compactions < 20, 'but not on every write: the journal must outgrow the state file first');
  const stateBytes = await size(join(dir, STATE_FILE_NAME));
  t.ok(
    (await size(join(dir, JOURNAL_FILE_NAME))) <= Math.max(4096, stateBytes) + 512,
    'the journal stays bounded',
  );

  await store.close();
  t.equal(await size(join(dir, JOURNAL_FILE_NAME)), 0, 'close folds the journal away');
  const onDisk = JSON.parse(await readFile(join(dir, STATE_FILE_NAME), 'utf8')) as {
    namespaces: { hosts: Record<string, string> };
  };
  t.equal(Object.keys(onDisk.namespaces.hosts).length, 199, 'the state file holds every write');

  const reopened = new EmbeddedStore({ stateDir: dir, logger });
  await reopened.start();
  const hosts = await reopened.getAll('hosts');
  t.equal(hosts.size, 199);
  t.notOk(hosts.has('h7.paserkab.go.id'), 'the delete survived');
  t.equal(hosts.get('h199.paserkab.go.id'), `"199${value}"`, 'the last write survived');
  await reopened.close();
});
