import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { hammer } from './kit.js';

const HOST = 'simda.paserkab.go.id';
const RATE = 40;
// A burst of half a second: a client stalled by a busy machine loses none of its share.
const BURST = 20;

t.test(
  'Redis killed: each instance limits to its share of the cluster limit, says so in a metric, never a 500',
  async (t) => {
    const redis = await startRedis();
    const backend = await startBackend();
    const env = { GERBANG_REDIS_URL: redis.url };
    const a = await startTestGateway({ env });
    const b = await startTestGateway({ env });
    t.teardown(async () => {
      await a.stop();
      await b.stop();
      await backend.stop();
      await redis.stop();
    });
    const doc = {
      routes: [
        { path: '/', targets: [backend.origin] },
        { path: '/api', targets: [backend.origin], rateLimit: { rate: `${RATE}/s`, burst: BURST } },
      ],
    };
    t.equal((await a.admin('PUT', `/v1/hosts/${HOST}`, doc)).status, 201);
    await waitFor(
      'B to route the host',
      async () => (await http(`${b.url}/`, { host: HOST })).status === 200,
      10_000,
      20,
    );
    const ports = [a.gateway.ports.http, b.gateway.ports.http];
    // Both instances count with the cluster: each knows there are two.
    await hammer(ports, HOST, '/api', 500, 2);
    const syncState = async (gw: typeof a, state: string) =>
      sum(await scrape(gw.adminUrl), 'gerbang_rate_limit_cluster_sync', { state });
    t.equal(await syncState(a, 'cluster'), 1, 'A counts with the cluster');

    await redis.kill();
    await waitFor('A to fall back', async () => (await syncState(a, 'fallback')) === 1, 5_000, 50);
    t.equal(await syncState(a, 'cluster'), 0);
    // What the first phase charged is repaid by now (at most two bursts and a sync interval: 1.15 s).
    await sleep(1_500);

    const { statuses, elapsedMs } = await hammer([a.gateway.ports.http], HOST, '/api', 2_000);
    const passed = statuses.get(200) ?? 0;
    // Half the cluster's limit: half the burst, then half the rate.
    const share = BURST / 2 + (RATE / 2) * (elapsedMs / 1000);
    t.comment(
      `A alone passed ${passed} of ${[...statuses.values()].reduce((a, b) => a + b, 0)} in ${elapsedMs.toFixed(0)} ms: its share is ${share.toFixed(1)}`,
    );
    t.same([...statuses.keys()].sort(), [200, 429], 'only 200s and 429s: never a 500');
    t.ok(Math.abs(passed - share) <= share * 0.15, `A keeps its share (${passed} vs ${share.toFixed(1)})`);
    t.equal((await http(`${b.url}/api`, { host: HOST })).status < 500, true, 'B answers too');
  },
);
