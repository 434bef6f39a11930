import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/load-config.js';

t.test(
  'a value outside a fixed set is answered with the allowed values, from the file as from the environment',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cfg-'));
    const file = join(dir, 'gerbang.yaml');
    await writeFile(file, 'zones: [paserkab.go.id]\nlog:\n  level: verbose\n');
    t.throws(() => loadConfig({ GERBANG_CONFIG: file, GERBANG_STATE_DIR: dir }), {
      message: /\/log\/level: expected one of fatal, error, warn, info, debug, trace, silent/,
    });
    t.throws(() => loadConfig({ GERBANG_LOG_LEVEL: 'verbose', GERBANG_STATE_DIR: dir }), {
      message: /GERBANG_LOG_LEVEL: "verbose" is not one of fatal, error, warn, info, debug, trace, silent/,
    });
  },
);
