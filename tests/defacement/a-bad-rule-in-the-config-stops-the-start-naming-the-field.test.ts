/** DKISP's own defacement rules are checked at startup: a bad regular expression (or a rule that is not one) stops the start, naming the field. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/load-config.js';

async function configWith(defacement: string): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-defacement-'));
  const path = join(dir, 'gerbang.yaml');
  await writeFile(path, `zones: [paserkab.go.id]\ndefacement: ${defacement}\n`);
  return { GERBANG_CONFIG: path, GERBANG_STATE_DIR: dir };
}

t.test('good rules load', async (t) => {
  const config = loadConfig(
    await configWith(
      '{ rules: [{ id: kata-dkisp, terms: [pinjol ilegal, "judi sabung"], minMatches: 2 }, { id: pola, pattern: "hoki\\\\d+" }] }',
    ),
  );
  t.same(config.defacement?.rules, [
    { id: 'kata-dkisp', terms: ['pinjol ilegal', 'judi sabung'], minMatches: 2 },
    { id: 'pola', pattern: 'hoki\\d+' },
  ]);
});

t.test('a bad rule stops the start with the field named', async (t) => {
  const cases: Array<[string, RegExp]> = [
    [
      '{ rules: [{ id: ok, terms: [slot] }, { id: rusak, pattern: "(slot" }] }',
      /defacement\.rules\[1\]\.pattern: not a valid regular expression/,
    ],
    [
      '{ rules: [{ id: gambling-title, terms: [slot] }] }',
      /defacement\.rules\[0\]\.id: "gambling-title" is already a rule id/,
    ],
    [
      '{ rules: [{ id: dua, terms: [slot], pattern: "x" }] }',
      /defacement\.rules\[0\]: needs exactly one of terms and pattern/,
    ],
    ['{ rules: [{ id: tiga, terms: [slot], minMatches: 2 }] }', /defacement\.rules\[0\]\.minMatches/],
    ['{ rules: [{ id: "Bad Id", terms: [slot] }] }', /defacement\/rules\/0\/id/],
    ['{ queueSize: 0 }', /defacement\/queueSize/],
  ];
  for (const [defacement, field] of cases) {
    const env = await configWith(defacement);
    t.throws(
      () => loadConfig(env),
      { code: 'CONFIG_INVALID', message: field },
      `${defacement}: names ${field}`,
    );
  }
});
