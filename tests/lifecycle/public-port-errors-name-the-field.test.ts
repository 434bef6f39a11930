import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/load-config.js';

t.test('a bad public port stops the start and names the field', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-public-port-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'gerbang.yaml');
  await writeFile(file, 'listen:\n  http: { port: 8080, publicPort: 70000 }\n');
  t.throws(() => loadConfig({ GERBANG_CONFIG: file }), /listen\/http\/publicPort/);
  await writeFile(file, 'listen:\n  https: { port: 8443, publicPort: 443 }\n');
  t.equal(loadConfig({ GERBANG_CONFIG: file }).https.publicPort, 443, 'a good one is taken');
  t.throws(
    () => loadConfig({ GERBANG_CONFIG: file, GERBANG_HTTP_PUBLIC_PORT: '0' }),
    /GERBANG_HTTP_PUBLIC_PORT/,
  );
  t.throws(
    () => loadConfig({ GERBANG_CONFIG: file, GERBANG_HTTPS_PUBLIC_PORT: 'x' }),
    /GERBANG_HTTPS_PUBLIC_PORT/,
  );
  t.equal(loadConfig({ GERBANG_CONFIG: file, GERBANG_HTTPS_PUBLIC_PORT: '4443' }).https.publicPort, 4443);
});
