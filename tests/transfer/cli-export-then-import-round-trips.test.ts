import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { gerbangCli } from '../helpers/cli.js';
import { simpleHost, startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

t.test(
  'gerbang export --format yaml > file, then gerbang import file [--dry-run] on a fresh instance',
  async (t) => {
    const source = await startTestGateway();
    t.teardown(() => source.stop());
    const fresh = await startTestGateway();
    t.teardown(() => fresh.stop());
    await source.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'a@b',
      owns: ['dinkes.paserkab.go.id'],
    });
    await source.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      ...simpleHost('http://127.0.0.1:9'),
      agency: 'dinkes',
    });

    const exported = await gerbangCli(['export', '--format', 'yaml'], {
      GERBANG_ADMIN_URL: source.adminUrl,
      GERBANG_TOKEN: TEST_ADMIN_TOKEN,
    });
    t.equal(exported.code, 0, exported.stderr);
    const doc = parse(exported.stdout) as { hosts: Array<{ host: string }> };
    t.same(
      doc.hosts.map((h) => h.host),
      ['dinkes.paserkab.go.id'],
      'stdout is the YAML document',
    );
    const file = join(fresh.stateDir, 'gerbang-config.yaml');
    await writeFile(file, exported.stdout);

    const env = { GERBANG_ADMIN_URL: fresh.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
    const dry = await gerbangCli(['import', file, '--dry-run'], env);
    t.equal(dry.code, 0, dry.stderr);
    t.equal(
      dry.stdout,
      '+ agency dinkes (dinkes)\n+ host dinkes.paserkab.go.id (dinkes)\n' +
        'dry run, nothing applied: 2 to create, 0 to change, 0 to remove, 0 unchanged\n',
    );
    t.same((await fresh.admin('GET', '/v1/hosts')).body, { hosts: [] }, 'the dry run applied nothing');

    const applied = await gerbangCli(['import', file], env);
    t.equal(applied.code, 0, applied.stderr);
    t.match(applied.stdout, /^imported: 2 create, 0 change, 0 remove, 0 unchanged$/m);
    const back = await gerbangCli(['export'], env);
    const { exportedAt: _a, ...restored } = JSON.parse(back.stdout) as Record<string, unknown>;
    const { exportedAt: _b, ...original } = doc as unknown as Record<string, unknown>;
    t.same(restored, original, 'the fresh instance exports what the source did');

    const broken = join(fresh.stateDir, 'broken.yaml');
    await writeFile(broken, 'version: 1\nhosts:\n  - host: disdik.paserkab.go.id\n    routes: []\n');
    const refused = await gerbangCli(['import', broken], env);
    t.equal(refused.code, 1, 'the API refusal is exit 1');
    t.match(refused.stderr, /^gerbang: VALIDATION_FAILED: import refused, nothing applied: \/hosts\/0/);
    const missing = await gerbangCli(['import'], env);
    t.equal(missing.code, 2);
    t.match(missing.stderr, /import needs <file>/);
  },
);
