import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { attackSize } from '../helpers/attack.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { CHECK_INTERVAL_MS, HEALTH_CHECK, killableBackend, uptimeOf, waitForUptime } from './uptime-kit.js';

const SLACK_MS = 100;
const HOSTS = attackSize(5, 50);

t.test('two instances sharing Redis both check the backend, and its outage is counted once', async (t) => {
  const redis = await startRedis();
  const backend = await killableBackend();
  const dirs = await Promise.all([0, 1].map(() => mkdtemp(join(tmpdir(), 'gerbang-uptime-'))));
  const start = (stateDir: string): Promise<TestGateway> =>
    startTestGateway({
      stateDir,
      env: { GERBANG_REDIS_URL: redis.url },
      config: { redis: { url: redis.url, prefix: 'gerbang:', resyncIntervalMs: 300 } },
    });
  const a = await start(dirs[0] as string);
  const b = await start(dirs[1] as string);
  t.teardown(async () => {
    await Promise.all([a.stop(), b.stop()]);
    await backend.stop();
    await redis.stop();
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });
  // Several hosts on one backend: both instances rewrite every one of them at the same moments.
  const hosts = Array.from({ length: HOSTS }, (_, i) => `lpse${i}.paserkab.go.id`);
  for (const h of hosts) {
    const put = await a.admin('PUT', `/v1/hosts/${h}`, {
      routes: [{ path: '/', targets: [backend.origin], healthCheck: HEALTH_CHECK }],
    });
    t.equal(put.status, 201);
  }
  const host = hosts.at(-1) as string;
  // Both instances route (and so check) the host before the outage.
  await waitFor(
    'b routes the host',
    async () => (await b.admin('GET', `/v1/status?host=${host}`)).status === 200,
    10_000,
  );
  await waitForUptime(a, host, 'the host recorded', (s) => s.incidents.length === 0);
  await sleep(2 * CHECK_INTERVAL_MS);

  const downFor = attackSize(1_500, 10_000);
  const stoppedAt = Date.now();
  await backend.stop();
  await sleep(downFor);
  await backend.start();
  const startedAt = Date.now();
  for (const h of hosts) {
    await waitForUptime(a, h, 'the incident closed', (s) => s.incidents.at(-1)?.end !== undefined);
  }
  // Whichever instance might have been late to write had a check interval and a lease tick to do so.
  await sleep(1_500);

  const measured = (startedAt - stoppedAt) / 1000;
  for (const h of hosts) {
    const fromA = await uptimeOf(a, h);
    const fromB = await uptimeOf(b, h);
    t.same(fromA?.incidents, fromB?.incidents, `${h}: both instances read the same record`);
    t.equal(fromA?.incidents.length, 1, `${h}: one incident, not one per instance`);
    const recorded = fromA?.downtimeSeconds ?? 0;
    t.ok(
      Math.abs(recorded - measured) * 1000 <= CHECK_INTERVAL_MS + SLACK_MS,
      `${h}: measured down ${measured} s, recorded ${recorded} s`,
    );
  }
});
