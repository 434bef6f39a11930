/** GERBANG_WORKERS=2: a defaced page a worker's watch finds reaches the primary, which keeps it (GET /v1/defacement) and exports the workers' count. */
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

const HOST = 'dinkes.paserkab.go.id';
const PAGE = '<html><title>Slot gacor hari ini</title><p>maxwin, rtp live, deposit pulsa</p></html>';

t.test('a finding in a worker is kept by the primary and counted on its /metrics', async (t) => {
  const backend = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' });
    res.end(PAGE);
  });
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-defacement-'));
  await writeFile(join(dir, 'gerbang.yaml'), 'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\n');
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
  const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  const put = await fetch(`${gw.adminUrl}/v1/hosts/${HOST}`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ routes: [{ path: '/', targets: [backend.origin] }] }),
  });
  t.equal(put.status, 201);
  await waitFor(
    'the workers route the host',
    async () => (await http(`${gw.url}/`, { host: HOST })).status === 200,
    20_000,
  );

  const kept = await waitFor(
    'the finding kept by the primary',
    async () => {
      const res = await fetch(`${gw.adminUrl}/v1/defacement?host=${HOST}`, { headers: auth });
      const body = (await res.json()) as { hosts: Array<{ findings: Array<{ rule: string; url: string }> }> };
      return body.hosts[0]?.findings.find((f) => f.rule === 'gambling-title');
    },
    20_000,
  );
  t.equal(kept.url, `${HOST}/`, 'with the URL');
  const metrics = parseMetrics(await (await fetch(`${gw.adminUrl}/metrics`)).text());
  t.ok(
    sum(metrics, 'gerbang_defacement_findings_total', { host: HOST, rule: 'gambling-title' }) >= 1,
    "the workers' count on the primary's /metrics",
  );
  // The worker's own stdout, which may come a little after the primary's answer.
  await gw.waitForLine((l) => l.msg === 'page matches a defacement rule' && l.url === `${HOST}/`, 10_000);
  t.pass("the worker's log line names the URL");
});
