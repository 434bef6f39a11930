/** Once put/delete resolve the change is on disk: a new store on the same directory, without close(), reads it back. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { EmbeddedStore } from '../../src/store/embedded-store.js';
import { captureLogger } from './kit.js';

t.test(
  'Once put/delete resolve the change is on disk: a new store on the same directory, without close(), reads it back',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-store-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const { logger } = captureLogger();
    const stateDir = join(dir, 'state');

    const first = new EmbeddedStore({ stateDir, logger });
    await first.start();
    const host = JSON.stringify({ host: 'dinkes.paserkab.go.id', agency: 'dinkes', routes: [] });
    await first.put('hosts', 'dinkes.paserkab.go.id', host);
    await first.put('agencies', 'dinkes', '{"id":"dinkes"}');
    await first.put('hosts', 'lama.paserkab.go.id', '{}');
    await first.put('hosts', 'dinkes.paserkab.go.id', `${host} `);
    t.equal(await first.delete('hosts', 'lama.paserkab.go.id'), true, 'delete of a present id reports true');
    t.equal(
      await first.delete('hosts', 'tidak-ada.paserkab.go.id'),
      false,
      'delete of a missing id reports false',
    );

    // No close(): as if the process died right after the writes resolved.
    const second = new EmbeddedStore({ stateDir, logger });
    await second.start();
    t.same(
      [...(await second.getAll('hosts'))],
      [['dinkes.paserkab.go.id', `${host} `]],
      'the last value of each host is back, the deleted host is not',
    );
    t.equal(await second.get('agencies', 'dinkes'), '{"id":"dinkes"}');
    t.equal(await second.get('tokens', 'dinkes'), undefined, 'namespaces stay apart');

    await first.close();
    await second.close();
  },
);
