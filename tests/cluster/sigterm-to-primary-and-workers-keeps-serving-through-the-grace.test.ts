import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

const GRACE_MS = 2_500;

/** The workers the primary forked (its child processes). */
function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text === '' ? [] : text.split(/\s+/).map(Number);
}

t.test(
  'GERBANG_WORKERS=2, SIGTERM to the whole group: /readyz is 503, workers keep serving through the grace, then all exit 0',
  async (t) => {
    const backend = await startBackend((_req, res) => res.end('still here'));
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-grace-'));
    await writeFile(
      join(dir, 'gerbang.yaml'),
      `backends: { allow: [127.0.0.0/8] }\nhosts:\n  - host: dinkes.paserkab.go.id\n    routes: [{ path: /, targets: ["${backend.origin}"] }]\n`,
    );
    const gw = await spawnGateway({
      GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
      GERBANG_STATE_DIR: dir,
      GERBANG_WORKERS: '2',
      GERBANG_SHUTDOWN_GRACE_MS: String(GRACE_MS),
    });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
      await rm(dir, { recursive: true, force: true });
    });
    const host = 'dinkes.paserkab.go.id';
    t.equal((await fetch(`${gw.adminUrl}/readyz`)).status, 200, 'ready before the signal');
    const workers = childPids(gw.child.pid as number);
    t.equal(workers.length, 2, 'two workers');

    // As systemd's default KillMode does: every process of the service gets the signal at once.
    const signalled = Date.now();
    gw.child.kill('SIGTERM');
    for (const pid of workers) process.kill(pid, 'SIGTERM');
    await waitFor(
      'readyz 503',
      async () => (await fetch(`${gw.adminUrl}/readyz`)).status === 503,
      GRACE_MS,
      20,
    );
    t.ok(Date.now() - signalled < GRACE_MS / 2, `not ready within ${Date.now() - signalled} ms of SIGTERM`);

    // Fresh connections in the window land on either worker: every one is served.
    let served = 0;
    for (let i = 0; i < 6 && Date.now() - signalled < GRACE_MS - 500; i++) {
      const res = await http(`${gw.url}/`, { host, timeoutMs: 2_000 });
      if (res.status === 200 && res.body === 'still here') served++;
      else t.fail(`a request in the grace got ${res.status}`);
    }
    t.ok(served >= 3, `${served} requests on fresh connections served during the grace`);

    t.equal(await gw.exited, 0, 'the primary exits 0 after the grace and the drain');
    t.ok(Date.now() - signalled >= GRACE_MS, `exited after the grace (${Date.now() - signalled} ms)`);
    await waitFor('the workers gone', () => workers.every((pid) => !existsProcess(pid)), 5_000, 50);
    t.pass('the workers exited too');
  },
);

function existsProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
