import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';

t.test('SIGTERM lets in-flight requests finish, refuses new ones, and exits 0', async (t) => {
  const backend = await startBackend((_req, res) => {
    setTimeout(() => res.end('slow but complete'), 1500);
  });
  t.teardown(() => backend.stop());
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-drain-'));
  await writeFile(
    join(dir, 'gerbang.yaml'),
    `backends: { allow: [127.0.0.0/8] }\nhosts:\n  - host: lambat.paserkab.go.id\n    routes: [{ path: /, targets: ["${backend.origin}"] }]\n`,
  );
  const gw = await spawnGateway({ GERBANG_CONFIG: join(dir, 'gerbang.yaml'), GERBANG_STATE_DIR: dir });
  t.teardown(() => gw.stop());

  const inFlight = http(`${gw.url}/`, { host: 'lambat.paserkab.go.id' });
  await new Promise((r) => setTimeout(r, 300));
  gw.child.kill('SIGTERM');
  const res = await inFlight;
  t.equal(res.status, 200, 'the request in flight completed');
  t.equal(res.body, 'slow but complete');
  t.equal(await gw.exited, 0, 'exit code 0');
  t.ok(gw.lines.some((l) => l.msg === 'draining'));
});
