/** At start the embedded store replays its journal over the state file; a torn last line (a crash mid-append, never acknowledged) is dropped and cannot swallow the next write. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore, STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { JOURNAL_FILE_NAME } from '../../src/store/state-journal.js';
import { captureLogger, LEVEL } from './kit.js';

t.test('the journal is replayed at start and a torn last line is dropped', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(
    join(dir, STATE_FILE_NAME),
    JSON.stringify({
      version: 1,
      namespaces: { hosts: { 'a.paserkab.go.id': '"from file"', 'b.paserkab.go.id': '"b"' } },
    }),
  );
  // Acknowledged: a put over the file's value, a delete, a new entry. Then an append cut off by a crash.
  const journal = [
    JSON.stringify(['hosts', 'a.paserkab.go.id', '"from journal"']),
    JSON.stringify(['hosts', 'b.paserkab.go.id', null]),
    JSON.stringify(['tokens', 't1', '{"hash":"x"}']),
    '["hosts","torn.paserkab.go.id","{\\"half',
  ].join('\n');
  await writeFile(join(dir, JOURNAL_FILE_NAME), journal);

  const { logger, lines } = captureLogger();
  const store = new EmbeddedStore({ stateDir: dir, logger });
  await store.start();
  t.equal(
    await store.get('hosts', 'a.paserkab.go.id'),
    '"from journal"',
    'a journaled put wins over the file',
  );
  t.equal(await store.get('hosts', 'b.paserkab.go.id'), undefined, 'a journaled delete is applied');
  t.equal(await store.get('tokens', 't1'), '{"hash":"x"}', 'a journaled new entry is there');
  t.equal(await store.get('hosts', 'torn.paserkab.go.id'), undefined, 'the torn line is dropped');
  t.ok(
    lines.some((l) => l.level === LEVEL.error && l.code === 'STATE_CORRUPT'),
    'the torn line is reported',
  );
  t.ok(
    (await readdir(dir)).some((f) => f.startsWith(`${JOURNAL_FILE_NAME}.corrupt-`)),
    'the original is kept aside',
  );

  // The next append must not be glued onto the torn bytes.
  await store.put('hosts', 'c.paserkab.go.id', '"c"');
  await store.close();
  const reopened = new EmbeddedStore({ stateDir: dir, logger });
  await reopened.start();
  t.equal(await reopened.get('hosts', 'c.paserkab.go.id'), '"c"', 'the write after the torn line survives');
  t.equal(await reopened.get('hosts', 'a.paserkab.go.id'), '"from journal"');
  await reopened.close();
});
