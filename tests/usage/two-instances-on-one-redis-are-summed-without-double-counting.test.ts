import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { findHost } from '../../src/data/routing/router.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { bytesOfGet, DINKES, rowOf, twoAgencies, usageBackend, usageReport } from './kit.js';

t.test('two instances on one Redis sum their counts exactly, however often they flush', async (t) => {
  const redis = await startRedis();
  const backend = await usageBackend();
  const dirs: string[] = [];
  const gateways: TestGateway[] = [];
  t.teardown(async () => {
    for (const gw of gateways) await gw.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await backend.stop();
    await redis.stop();
  });
  for (let i = 0; i < 2; i++) {
    const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-usage-'));
    dirs.push(stateDir);
    gateways.push(
      await startTestGateway({
        stateDir,
        env: { GERBANG_REDIS_URL: redis.url },
        config: { redis: { url: redis.url, prefix: 'gerbang:', resyncIntervalMs: 300 } },
      }),
    );
  }
  const [a, b] = gateways as [TestGateway, TestGateway];
  await twoAgencies(a, backend.origin);
  // b learns the hosts from the change feed: routed there, with no request sent yet.
  await waitFor('b routes the host', () => findHost(b.gateway.holder.current, DINKES) !== undefined, 10_000);

  let bytes = 0;
  let requests = 0;
  // Flushes between requests, and flushes with nothing new: each delta is added once.
  for (let round = 0; round < 3; round++) {
    for (const gw of [a, b]) {
      bytes += await bytesOfGet(gw, DINKES, `/r${round}`);
      requests++;
    }
    await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
    await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
  }
  const fromA = await usageReport(a);
  const fromB = await usageReport(b);
  t.same(fromA.hosts, fromB.hosts, 'both instances read the same sums');
  t.match(rowOf(fromA, DINKES), { agency: 'dinkes', requests, bytesSent: bytes });
});
