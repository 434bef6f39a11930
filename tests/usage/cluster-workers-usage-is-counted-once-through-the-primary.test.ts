import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { rawRequest } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';
import { type UsageBody, usageBackend } from './kit.js';

const FLUSH_MS = 200;

t.test('GERBANG_WORKERS=2: each worker’s usage reaches the store through the primary, once', async (t) => {
  const backend = await usageBackend();
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-usage-cluster-'));
  await writeFile(
    join(dir, 'gerbang.yaml'),
    `zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\nusage: { flushIntervalMs: ${FLUSH_MS} }\n`,
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
  const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const host = 'dinkes.paserkab.go.id';
  const put = await fetch(`${gw.adminUrl}/v1/hosts/${host}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ routes: [{ path: '/', targets: [backend.origin] }] }),
  });
  t.equal(put.status, 201);
  const port = Number(new URL(gw.url).port);
  const get = (path: string) =>
    rawRequest(port, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  // Until both workers route it (a fresh connection lands on either).
  await waitFor('the host is routed', async () => (await get('/warm')).startsWith('HTTP/1.1 200'), 10_000);
  const report = async () =>
    ((await (await fetch(`${gw.adminUrl}/v1/reports/usage`, { headers })).json()) as UsageBody).hosts.find(
      (h) => h.host === host,
    );
  // The warm-up requests are counted too: wait until they are, then count from there.
  await sleep(FLUSH_MS * 4);
  const before = (await report())?.requests ?? 0;
  t.ok(before >= 1, `warm-up counted (${before})`);

  const n = 20;
  for (let i = 0; i < n; i++) await get(`/p${i}`);
  await waitFor(
    'the requests reach the report',
    async () => ((await report())?.requests ?? 0) >= before + n,
    10_000,
  );
  // Several more flushes of workers and primary: nothing is added twice.
  await sleep(FLUSH_MS * 5);
  t.equal((await report())?.requests, before + n, 'each request counted once');
});
