import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_TIME_ZONE } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';

t.test(
  'the display time zone defaults to Asia/Makassar and an unknown one stops the start naming the field',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-time-zone-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'gerbang.yaml');
    await writeFile(file, 'zones: [paserkab.go.id]\n');
    t.equal(DEFAULT_TIME_ZONE, 'Asia/Makassar');
    t.equal(loadConfig({ GERBANG_CONFIG: file }).timeZone, 'Asia/Makassar', 'WITA unless told otherwise');
    t.equal(loadConfig({ GERBANG_CONFIG: file, GERBANG_TIME_ZONE: 'Asia/Jakarta' }).timeZone, 'Asia/Jakarta');
    t.throws(
      () => loadConfig({ GERBANG_CONFIG: file, GERBANG_TIME_ZONE: 'Asia/Paser' }),
      /GERBANG_TIME_ZONE.*"Asia\/Paser" is not a known IANA time zone/,
    );
    await writeFile(file, 'zones: [paserkab.go.id]\ntimeZone: Asia/Jayapura\n');
    t.equal(loadConfig({ GERBANG_CONFIG: file }).timeZone, 'Asia/Jayapura', 'the file sets it');
    await writeFile(file, 'zones: [paserkab.go.id]\ntimeZone: WITA\n');
    t.throws(
      () => loadConfig({ GERBANG_CONFIG: file }),
      /gerbang\.yaml timeZone.*"WITA"/,
      'the file’s key is named',
    );
    await writeFile(file, 'zones: [paserkab.go.id]\ntimeZone: 8\n');
    t.throws(() => loadConfig({ GERBANG_CONFIG: file }), /timeZone/, 'a number is no zone');
  },
);
