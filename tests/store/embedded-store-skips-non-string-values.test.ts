/** In an otherwise good state file, an entry whose value is not a string is logged by ns/id and skipped. */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore, STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { captureLogger, LEVEL } from './kit.js';

t.test(
  'In an otherwise good state file, an entry whose value is not a string is logged by ns/id and skipped',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const original = JSON.stringify({
      version: 1,
      namespaces: {
        hosts: {
          'ok.paserkab.go.id': '{"host":"ok"}',
          'object.paserkab.go.id': { host: 'object' },
          'num.paserkab.go.id': 7,
        },
        agencies: { dinkes: '{"id":"dinkes"}' },
      },
    });
    await writeFile(join(dir, STATE_FILE_NAME), original);

    const { logger, lines } = captureLogger();
    const store = new EmbeddedStore({ stateDir: dir, logger });
    await store.start();

    t.same([...(await store.getAll('hosts'))], [['ok.paserkab.go.id', '{"host":"ok"}']], 'good entries load');
    t.equal(await store.get('agencies', 'dinkes'), '{"id":"dinkes"}', 'other namespaces load');
    const skipped = lines
      .filter((line) => line.level === LEVEL.error && line.ns === 'hosts' && typeof line.id === 'string')
      .map((line) => line.id)
      .sort();
    t.same(
      skipped,
      ['num.paserkab.go.id', 'object.paserkab.go.id'],
      'each bad entry is logged with its ns and id',
    );

    const copy = (await readdir(dir)).find((name) => name.startsWith(`${STATE_FILE_NAME}.corrupt-`));
    t.ok(copy, 'the original file is copied aside, since the next write drops the skipped entries');
    t.equal(await readFile(join(dir, copy ?? ''), 'utf8'), original);
    await store.close();
  },
);
