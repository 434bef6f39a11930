import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';

t.test(
  'GERBANG_WORKERS=2: workers share the listeners, get every snapshot fast, are replaced when they die, sum into /metrics, drain on SIGTERM',
  async (t) => {
    const a = await startBackend(echoHandler('a'));
    const slow = await startBackend(
      (_req, res) => void setTimeout(() => res.end('slow but complete'), 1_500),
    );
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-'));
    await writeFile(
      join(dir, 'gerbang.yaml'),
      'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\n',
    );
    const gw = await spawnGateway({
      GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
      GERBANG_STATE_DIR: dir,
      GERBANG_WORKERS: '2',
    });
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([a.stop(), slow.stop()]);
      await rm(dir, { recursive: true, force: true });
    });
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(gw.adminUrl + path, {
        method,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    t.equal((await fetch(`${gw.adminUrl}/readyz`)).status, 200, 'ready once every worker listens');

    // A snapshot reaches every worker quickly: a fresh connection each time lands on either worker.
    const host = 'dinkes.paserkab.go.id';
    const put = await admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [a.origin] }] });
    t.equal(put.status, 201);
    const changedAt = performance.now();
    let served = 0;
    while (served < 20) {
      const res = await http(`${gw.url}/`, { host });
      if (res.status === 200) served++;
      else
        t.ok(performance.now() - changedAt < 100, `a miss only within 100 ms of the change (${res.status})`);
    }
    t.ok(performance.now() - changedAt < 5_000);

    // Metrics: one scrape sums every worker's requests.
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    const total = metrics
      .split('\n')
      .filter(
        (l) =>
          l.startsWith('gerbang_requests_total{') && l.includes(`host="${host}"`) && l.includes('code="2xx"'),
      )
      .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    t.ok(total >= 20, `gerbang_requests_total sums the workers (${total})`);
    t.equal(
      metrics.split('\n').filter((l) => l.startsWith('gerbang_build_info{')).length,
      1,
      'one build_info',
    );

    // A worker that dies is replaced, and the new one has the routes.
    const ready = gw.lines.filter((l) => l.msg === 'gerbang listening').length;
    t.equal(ready, 1);
    const pids = await workerPidsFromOs(gw.child.pid as number);
    t.equal(pids.length, 2, 'two workers');
    process.kill(pids[0] as number, 'SIGKILL');
    await waitFor(
      'a replacement worker',
      async () => {
        const now = await workerPidsFromOs(gw.child.pid as number);
        return now.length === 2 && !now.includes(pids[0] as number);
      },
      20_000,
    );
    t.ok(gw.lines.some((l) => l.msg === 'worker died; starting a new one'));
    for (let i = 0; i < 10; i++)
      t.equal((await http(`${gw.url}/`, { host })).status, 200, 'every worker routes');

    // SIGTERM drains every worker: a slow request in flight completes.
    await admin('PUT', '/v1/hosts/lambat.paserkab.go.id', {
      routes: [{ path: '/', targets: [slow.origin] }],
    });
    await waitFor(
      'slow host live',
      async () =>
        (await http(`${gw.url}/`, { host: 'lambat.paserkab.go.id', timeoutMs: 5_000 })).status === 200,
      10_000,
    );
    const inFlight = [0, 1, 2, 3].map(() => http(`${gw.url}/`, { host: 'lambat.paserkab.go.id' }));
    await new Promise((r) => setTimeout(r, 300));
    gw.child.kill('SIGTERM');
    for (const res of await Promise.all(inFlight)) t.equal(res.body, 'slow but complete');
    t.equal(await gw.exited, 0, 'the primary exits 0 after its workers');
  },
);

async function workerPidsFromOs(parent: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      // Children of the primary that run Gerbang (tsx also starts an esbuild service).
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (ppid === parent && cmdline.includes('src/main.ts')) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}
