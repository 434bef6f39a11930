import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

const GRACE_MS = 2_000;

t.test(
  'SIGTERM: /readyz is 503 at once, new connections are still served through the grace, then the drain and exit 0',
  async (t) => {
    const backend = await startBackend((_req, res) => res.end('still here'));
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-grace-'));
    await writeFile(
      join(dir, 'gerbang.yaml'),
      `backends: { allow: [127.0.0.0/8] }\nhosts:\n  - host: dinkes.paserkab.go.id\n    routes: [{ path: /, targets: ["${backend.origin}"] }]\n`,
    );
    const gw = await spawnGateway({
      GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
      GERBANG_STATE_DIR: dir,
      GERBANG_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
      await rm(dir, { recursive: true, force: true });
    });
    const host = 'dinkes.paserkab.go.id';
    t.equal((await fetch(`${gw.adminUrl}/readyz`)).status, 200, 'ready before the signal');

    const signalled = Date.now();
    gw.child.kill('SIGTERM');
    const notReady = await waitFor(
      'readyz 503',
      async () => {
        const res = await fetch(`${gw.adminUrl}/readyz`);
        return res.status === 503 ? ((await res.json()) as Record<string, unknown>) : undefined;
      },
      GRACE_MS,
      20,
    );
    t.ok(Date.now() - signalled < GRACE_MS / 2, `not ready within ${Date.now() - signalled} ms of SIGTERM`);
    t.match(notReady, { ready: false, shuttingDown: true });

    // The load balancer has not looked yet: a request on a fresh connection in the window is served.
    const inWindow = await http(`${gw.url}/`, { host, timeoutMs: 5_000 });
    t.ok(Date.now() - signalled < GRACE_MS, 'asked within the grace');
    t.equal(inWindow.status, 200, 'served during the grace');
    t.equal(inWindow.body, 'still here');

    t.equal(await gw.exited, 0, 'exit code 0 after the grace and the drain');
    t.ok(Date.now() - signalled >= GRACE_MS, `exited after the grace (${Date.now() - signalled} ms)`);
  },
);
