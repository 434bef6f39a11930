import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { findHost } from '../../src/data/routing/router.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { bytesOfGet, DINKES, twoAgencies, usageBackend } from './kit.js';
import { thisHour, trafficReport } from './traffic-kit.js';

t.test(
  'two instances on one Redis count into the same hour, each request once however often they flush',
  async (t) => {
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
      const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-traffic-'));
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
    await waitFor(
      'b routes the host',
      () => findHost(b.gateway.holder.current, DINKES) !== undefined,
      10_000,
    );

    const firstHour = thisHour();
    let bytes = 0;
    let requests = 0;
    for (let round = 0; round < 3; round++) {
      for (const gw of [a, b]) {
        bytes += await bytesOfGet(gw, DINKES, round === 2 && gw === b ? '/error' : `/r${round}`);
        requests++;
      }
      // Flushes with and without news: each delta is added to the hour once.
      await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
      await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
    }
    const lastHour = thisHour();
    const fromA = await trafficReport(a, `?host=${DINKES}`);
    const fromB = await trafficReport(b, `?host=${DINKES}`);
    t.same(fromA.hosts, fromB.hosts, 'both instances read the same hours');
    const row = fromA.hosts[0];
    t.match(row, {
      host: DINKES,
      agency: 'dinkes',
      requests,
      bytesSent: bytes,
      errors5xx: 1,
      cacheMisses: requests,
    });
    const busy = row?.hours.filter((h) => h.requests > 0) ?? [];
    if (firstHour === lastHour) {
      t.same(
        busy.map((h) => [h.hour, h.requests, h.bytesSent]),
        [[firstHour, requests, bytes]],
        'all of them in the one current hour',
      );
    } else {
      // The test ran across an hour's end: the two hours share the requests, still each once.
      t.equal(
        busy.reduce((n, h) => n + h.requests, 0),
        requests,
      );
    }
    t.equal(row?.hours.length, 48, 'one row per hour kept');
  },
);
