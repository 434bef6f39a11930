/** A state file that is not valid JSON is reported and moved aside intact, never silently overwritten. */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore, STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { captureLogger, LEVEL } from './kit.js';

t.test(
  'A state file that is not valid JSON is reported and moved aside intact, never silently overwritten',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await mkdir(dir, { recursive: true });
    const corrupt = '{"version":1,"namespaces":{"hosts":{"dinkes.paserkab.go.id":"{\\"host\\"';
    await writeFile(join(dir, STATE_FILE_NAME), corrupt);

    const { logger, lines } = captureLogger();
    const store = new EmbeddedStore({ stateDir: dir, logger });
    await store.start();
    t.same([...(await store.getAll('hosts'))], [], 'the store starts empty');

    const asideName = (await readdir(dir)).find((name) => name.startsWith(`${STATE_FILE_NAME}.corrupt-`));
    t.ok(asideName, 'the corrupt file is kept beside the state file');
    t.equal(await readFile(join(dir, asideName ?? ''), 'utf8'), corrupt, 'byte for byte');

    const report = lines.find((line) => line.level === LEVEL.error && line.code === 'STATE_CORRUPT');
    t.ok(report, 'the corruption is logged as an error');
    t.equal(report?.keptAs, join(dir, asideName ?? ''), 'the log says where the file went');

    await store.put('hosts', 'baru.paserkab.go.id', '{}');
    await store.close();
    t.equal(
      await readFile(join(dir, asideName ?? ''), 'utf8'),
      corrupt,
      'a later write creates a fresh state file and leaves the kept copy alone',
    );
    const reopened = new EmbeddedStore({ stateDir: dir, logger });
    await reopened.start();
    t.equal(await reopened.get('hosts', 'baru.paserkab.go.id'), '{}');
    await reopened.close();
  },
);
