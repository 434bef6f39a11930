import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { parseMetrics, sum } from '../helpers/metrics-text.js';
import { waitFor } from '../helpers/wait-for.js';

const HOST = 'kominfo.paserkab.go.id';
const BURST = 4;

t.test(
  'GERBANG_WORKERS=2 without Redis: each worker keeps half the limit, so the instance never passes more than it',
  async (t) => {
    const backend = await startBackend();
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-rate-'));
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
      await backend.stop();
      await rm(dir, { recursive: true, force: true });
    });
    const doc = {
      routes: [
        { path: '/', targets: [backend.origin] },
        // One a minute: nothing refills while the test runs.
        { path: '/api', targets: [backend.origin], rateLimit: { rate: '1/m', burst: BURST } },
      ],
    };
    const put = await fetch(`${gw.adminUrl}/v1/hosts/${HOST}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    t.equal(put.status, 201);
    // Fresh connections land on either worker: both must know the host before the count starts.
    let known = 0;
    await waitFor(
      'both workers to route the host',
      async () => {
        known = (await http(`${gw.url}/`, { host: HOST })).status === 200 ? known + 1 : 0;
        return known >= 6;
      },
      10_000,
      20,
    );

    const statuses: number[] = [];
    for (let i = 0; i < 4 * BURST; i++) statuses.push((await http(`${gw.url}/api`, { host: HOST })).status);
    const passed = statuses.filter((s) => s === 200).length;
    t.comment(`statuses ${statuses.join(' ')}`);
    t.ok(
      statuses.every((s) => s === 200 || s === 429),
      'only 200s and 429s',
    );
    t.ok(passed <= BURST, `the instance passed at most the burst (${passed} ≤ ${BURST})`);
    t.ok(passed >= BURST / 2, 'and at least one worker its share');
    const metrics = parseMetrics(await (await fetch(`${gw.adminUrl}/metrics`)).text());
    t.equal(
      sum(metrics, 'gerbang_rate_limited_total', { host: HOST }),
      4 * BURST - passed,
      'refusals summed over the workers',
    );
    t.ok(
      sum(metrics, 'gerbang_rate_limit_cluster_sync', { state: 'local' }) >= 1,
      'the sync state says local',
    );
  },
);
