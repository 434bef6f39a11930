import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { spawnGateway } from '../helpers/gateway-process.js';

t.test('a bad environment variable or config file stops the start with the field named', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-cfg-'));
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ GERBANG_HTTP_PORT: 'eighty' }, /GERBANG_HTTP_PORT/],
    [{ GERBANG_REDIS_URL: 'http://redis' }, /GERBANG_REDIS_URL/],
    [{ GERBANG_ZONES: 'bad zone!' }, /GERBANG_ZONES/],
    [{ GERBANG_LOG_LEVEL: 'loud' }, /GERBANG_LOG_LEVEL/],
    [{ GERBANG_ADMIN_TOKEN: 'short' }, /GERBANG_ADMIN_TOKEN/],
    [{ GERBANG_CONFIG: join(dir, 'missing.yaml') }, /GERBANG_CONFIG/],
  ];
  const badYaml = join(dir, 'bad.yaml');
  await writeFile(badYaml, 'listen:\n  http: { port: 99999 }\n');
  cases.push([{ GERBANG_CONFIG: badYaml }, /\/listen\/http\/port/]);
  const unknown = join(dir, 'unknown.yaml');
  await writeFile(unknown, 'zonez: [paserkab.go.id]\n');
  cases.push([{ GERBANG_CONFIG: unknown }, /zonez|additional/i]);

  // Started side by side: each is a separate process that exits at once.
  const results = await Promise.all(
    cases.map(async ([env]) => {
      const gw = await spawnGateway({ GERBANG_STATE_DIR: dir, ...env }, { waitReady: false });
      return { code: await gw.exited, stderr: gw.stderr() };
    }),
  );
  cases.forEach(([env, field], i) => {
    const result = results[i]!;
    t.equal(result.code, 78, `${Object.keys(env)[0]}: exits with EX_CONFIG`);
    t.match(result.stderr, field, `names ${field}`);
  });
});
