import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';

const hostYaml = (host: string, origin: string) =>
  `backends: { allow: [127.0.0.0/8] }\nhosts:\n  - host: ${host}\n    routes: [{ path: /, targets: ["${origin}"] }]\n`;

t.test('SIGHUP reloads the hosts declared in the YAML file; a broken file changes nothing', async (t) => {
  const backend = await startBackend(echoHandler('legacy'));
  t.teardown(() => backend.stop());
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-hup-'));
  const file = join(dir, 'gerbang.yaml');
  await writeFile(file, hostYaml('lama.paserkab.go.id', backend.origin));
  const gw = await spawnGateway({ GERBANG_CONFIG: file, GERBANG_STATE_DIR: dir });
  t.teardown(() => gw.stop());

  t.equal((await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' })).status, 200);
  t.equal((await http(`${gw.url}/`, { host: 'baru.paserkab.go.id' })).status, 404);

  await writeFile(file, hostYaml('baru.paserkab.go.id', backend.origin));
  gw.child.kill('SIGHUP');
  await gw.waitForLine((l) => l.msg === 'config hosts reloaded');
  t.equal((await http(`${gw.url}/`, { host: 'baru.paserkab.go.id' })).status, 200, 'the new host is served');
  t.equal((await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' })).status, 404, 'the removed one is gone');

  await writeFile(file, 'hosts: [ { host: "bad name", routes: [] } ]\n');
  gw.child.kill('SIGHUP');
  await gw.waitForLine((l) => l.msg === 'config reload refused; the current hosts stay');
  t.equal(
    (await http(`${gw.url}/`, { host: 'baru.paserkab.go.id' })).status,
    200,
    'a bad file leaves the hosts alone',
  );
});
