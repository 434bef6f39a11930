import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';

const hostYaml = (host: string, target: string) =>
  `backends: { allow: [127.0.0.1/32] }\nhosts:\n  - host: ${host}\n    routes: [{ path: /, targets: ["${target}"] }]\n`;

t.test('SIGHUP with a config target the API would refuse keeps the current hosts', async (t) => {
  const backend = await startBackend(echoHandler('legacy'));
  t.teardown(() => backend.stop());
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-hup-forbidden-'));
  const file = join(dir, 'gerbang.yaml');
  await writeFile(file, hostYaml('lama.paserkab.go.id', backend.origin));
  const gw = await spawnGateway({ GERBANG_CONFIG: file, GERBANG_STATE_DIR: dir });
  t.teardown(() => gw.stop());
  t.equal((await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' })).status, 200);

  for (const target of ['http://169.254.169.254', gw.adminUrl]) {
    const before = gw.lines.length;
    await writeFile(file, hostYaml('baru.paserkab.go.id', target));
    gw.child.kill('SIGHUP');
    const line = await gw.waitForLine(
      (l) =>
        gw.lines.indexOf(l) >= before &&
        (l.msg === 'config reload refused; the current hosts stay' || l.msg === 'config hosts reloaded'),
      10_000,
    );
    t.equal(line.msg, 'config reload refused; the current hosts stay', `${target}: the reload is refused`);
    t.match(String(line.err), /baru\.paserkab\.go\.id/, 'the log line names the host');
    t.match(String(line.err), target, 'and the target');
    t.equal((await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' })).status, 200, 'the old host stays');
    t.equal(
      (await http(`${gw.url}/`, { host: 'baru.paserkab.go.id' })).status,
      404,
      'the new one is not served',
    );
  }
});
