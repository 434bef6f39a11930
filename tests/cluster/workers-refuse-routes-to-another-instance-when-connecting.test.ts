import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';
import { storeHostUnchecked } from '../registry/kit.js';

t.test("a cluster's workers refuse, when connecting, a stored route to another instance", async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const b = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
  t.teardown(() => b.stop());
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-cluster-infra-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, 'gerbang.yaml'), 'zones: [paserkab.go.id]\nbackends: { allow: [127.0.0.0/8] }\n');
  const a = await spawnGateway({
    GERBANG_CONFIG: join(dir, 'gerbang.yaml'),
    GERBANG_STATE_DIR: dir,
    GERBANG_REDIS_URL: redis.url,
    GERBANG_WORKERS: '2',
  });
  t.teardown(() => a.stop());

  // Stored as an older version (or a wider allow list) would have left it: the workers' check is all that is left.
  await storeHostUnchecked(b, 'lama.paserkab.go.id', [`http://127.0.0.1:${b.gateway.ports.admin}`]);
  let status = 404;
  for (const deadline = Date.now() + 10_000; status === 404 && Date.now() < deadline; ) {
    status = (await http(`${a.url}/healthz`, { host: 'lama.paserkab.go.id', timeoutMs: 5_000 })).status;
    if (status === 404) await sleep(100);
  }
  t.not(status, 404, 'the cluster serves the stored host');
  const statuses: number[] = [status];
  // New connections each time, so both workers answer some.
  for (let i = 0; i < 6; i++) {
    const res = await http(`${a.url}/healthz`, {
      host: 'lama.paserkab.go.id',
      headers: { connection: 'close', authorization: `Bearer ${b.gateway.adminToken}` },
      timeoutMs: 5_000,
    });
    statuses.push(res.status);
  }
  t.same(
    statuses,
    statuses.map(() => 502),
    "no worker reaches b's admin API",
  );
});
