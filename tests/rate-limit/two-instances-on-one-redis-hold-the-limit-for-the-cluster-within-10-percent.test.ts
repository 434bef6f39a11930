import t from 'tap';
import { FULL_ATTACK } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { hammer } from './kit.js';

const HOST = 'perizinan.paserkab.go.id';
const RATE = 50;
const BURST = 10;

t.test('one client hammering two instances gets the limit of the cluster, not twice it', async (t) => {
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
  // `/` is not limited: B is known to route the host (and so `/api`, in the same snapshot) without spending any.
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

  const { statuses, elapsedMs } = await hammer(
    [a.gateway.ports.http, b.gateway.ports.http],
    HOST,
    '/api/izin',
    FULL_ATTACK ? 10_000 : 4_000,
  );
  const passed = statuses.get(200) ?? 0;
  const refused = statuses.get(429) ?? 0;
  const expected = BURST + (RATE * elapsedMs) / 1000;
  t.comment(
    `passed ${passed}, refused ${refused}, expected ${expected.toFixed(1)} in ${elapsedMs.toFixed(0)} ms`,
  );
  t.same([...statuses.keys()].sort(), [200, 429], 'only 200s and 429s');
  t.ok(refused > passed, 'the client sent far more than the limit');
  t.ok(
    Math.abs(passed - expected) <= expected * 0.1,
    `within 10 % of the cluster limit (${passed} vs ${expected.toFixed(1)})`,
  );
  const limited =
    sum(await scrape(a.adminUrl), 'gerbang_rate_limited_total', { host: HOST }) +
    sum(await scrape(b.adminUrl), 'gerbang_rate_limited_total', { host: HOST });
  t.equal(limited, refused, 'every refusal counted, over both instances');
  t.equal(sum(await scrape(a.adminUrl), 'gerbang_rate_limit_cluster_sync', { state: 'cluster' }), 1);
});
