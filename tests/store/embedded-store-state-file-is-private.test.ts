/** The state directory is created 0700 and the state file written 0600: tokens and keys live there. */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore, STATE_FILE_NAME } from '../../src/store/embedded-store.js';
import { captureLogger } from './kit.js';

t.test(
  'The state directory is created 0700 and the state file written 0600: tokens and keys live there',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const stateDir = join(dir, 'nested', 'state');

    const store = new EmbeddedStore({ stateDir, logger: captureLogger().logger });
    await store.start();
    await store.put('tokens', 'tok-1', '{"hash":"abc"}');
    await store.close();

    t.equal((await stat(stateDir)).mode & 0o777, 0o700, 'state directory is 0700');
    t.equal((await stat(join(stateDir, STATE_FILE_NAME))).mode & 0o777, 0o600, 'state file is 0600');
    t.same(await readdir(stateDir), [STATE_FILE_NAME], 'no temp file is left behind');
  },
);
