import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_SHUTDOWN_GRACE_MS } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';

t.test(
  'the shutdown grace: a named default, limits.shutdownGraceMs, GERBANG_SHUTDOWN_GRACE_MS over both; bad values name the field',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-grace-config-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const plain = join(dir, 'plain.yaml');
    const withGrace = join(dir, 'grace.yaml');
    const tooLong = join(dir, 'too-long.yaml');
    await writeFile(plain, 'zones: [paserkab.go.id]\n');
    await writeFile(withGrace, 'limits: { shutdownGraceMs: 1500 }\n');
    await writeFile(tooLong, 'limits: { shutdownGraceMs: 3600000 }\n');

    t.equal(loadConfig({ GERBANG_CONFIG: plain }).limits.shutdownGraceMs, DEFAULT_SHUTDOWN_GRACE_MS);
    t.equal(loadConfig({ GERBANG_CONFIG: withGrace }).limits.shutdownGraceMs, 1500, 'from the file');
    t.equal(
      loadConfig({ GERBANG_CONFIG: withGrace, GERBANG_SHUTDOWN_GRACE_MS: '0' }).limits.shutdownGraceMs,
      0,
      'the environment wins',
    );
    t.throws(
      () => loadConfig({ GERBANG_CONFIG: plain, GERBANG_SHUTDOWN_GRACE_MS: 'soon' }),
      /GERBANG_SHUTDOWN_GRACE_MS/,
    );
    t.throws(
      () => loadConfig({ GERBANG_CONFIG: plain, GERBANG_SHUTDOWN_GRACE_MS: '3600000' }),
      /GERBANG_SHUTDOWN_GRACE_MS/,
    );
    t.throws(() => loadConfig({ GERBANG_CONFIG: tooLong }), /shutdownGraceMs/);
  },
);
