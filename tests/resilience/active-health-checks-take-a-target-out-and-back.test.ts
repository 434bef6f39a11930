import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

interface TargetStatus {
  target: string;
  up: boolean;
  condition: string;
  since: string;
  reason: string;
  checks: Array<{ path: string; up: boolean; lastResult?: string }>;
}
interface StatusBody {
  hosts: Array<{ host: string; status: string; routes: Array<{ targets: TargetStatus[] }> }>;
}

t.test(
  'active checks, once per (target, path), take a failing target out of traffic and bring it back',
  async (t) => {
    let bHealthy = true;
    let bHealthChecks = 0;
    const a = await startBackend(echoHandler('a'));
    const echoB = echoHandler('b');
    const b = await startBackend((req, res) => {
      if (req.url === '/healthz') {
        bHealthChecks++;
        res.writeHead(bHealthy ? 200 : 500, { 'content-length': 0 });
        res.end();
      } else echoB(req, res);
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([a.stop(), b.stop()]);
    });
    const healthCheck = {
      path: '/healthz',
      intervalMs: 250,
      timeoutMs: 200,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    };
    // Two hosts name the same targets and check path: one probe loop per target, not one per host.
    for (const host of ['dinkes.paserkab.go.id', 'disdik.paserkab.go.id']) {
      const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
        routes: [{ path: '/', targets: [a.origin, b.origin], healthCheck }],
      });
      t.equal(put.status, 201);
    }
    const host = 'dinkes.paserkab.go.id';
    const bOf = async (): Promise<TargetStatus> => {
      const res = await gw.admin('GET', `/v1/status?host=${host}`);
      const body = res.body as StatusBody;
      return body.hosts[0]?.routes[0]?.targets.find((x) => x.target === b.origin) as TargetStatus;
    };

    await sleep(300);
    const before = bHealthChecks;
    await sleep(2_000);
    const perTwoSeconds = bHealthChecks - before;
    t.ok(perTwoSeconds >= 4 && perTwoSeconds <= 12, `one loop: ${perTwoSeconds} probes in 2 s at 250 ms`);
    t.equal((await bOf()).condition, 'healthy');

    bHealthy = false;
    const down = await waitFor(
      'b unhealthy',
      async () => {
        const s = await bOf();
        return s.condition === 'unhealthy' ? s : undefined;
      },
      10_000,
    );
    t.equal(down.up, false);
    t.match(down.reason, /health check failed: GET \/healthz → 500/);
    t.ok(Date.parse(down.since) > Date.now() - 10_000, 'since: when it changed');
    t.equal(await metricValue(gw.adminUrl, 'gerbang_target_up', { host, target: b.origin }), 0);
    t.equal(await metricValue(gw.adminUrl, 'gerbang_target_up', { host, target: a.origin }), 1);
    const seenBefore = b.seen.filter((r) => r.url !== '/healthz').length;
    for (let i = 0; i < 10; i++) {
      const res = await http(`${gw.url}/`, { host });
      t.equal(JSON.parse(res.body).backend, 'a');
    }
    t.equal(
      b.seen.filter((r) => r.url !== '/healthz').length,
      seenBefore,
      'b took no traffic while unhealthy',
    );

    bHealthy = true;
    await waitFor('b healthy again', async () => (await bOf()).condition === 'healthy', 10_000);
    const names = new Set<string>();
    for (let i = 0; i < 6; i++) names.add(JSON.parse((await http(`${gw.url}/`, { host })).body).backend);
    t.same([...names].sort(), ['a', 'b'], 'b is back in the rotation');
    t.equal(await metricValue(gw.adminUrl, 'gerbang_target_up', { host, target: b.origin }), 1);
  },
);

t.test('health check settings are validated', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const put = (healthCheck: unknown) =>
    gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [{ path: '/', targets: ['http://127.0.0.1:9'], healthCheck }],
    });
  const tooFast = await put({ path: '/healthz', intervalMs: 10 });
  t.equal(tooFast.status, 400);
  t.match(JSON.stringify(tooFast.body), /VALIDATION_FAILED.*intervalMs/);
  const slowerThanInterval = await put({ path: '/healthz', intervalMs: 1_000, timeoutMs: 5_000 });
  t.equal(slowerThanInterval.status, 400);
  t.match(JSON.stringify(slowerThanInterval.body), /healthCheck\/timeoutMs/);
  const noPath = await put({ intervalMs: 1_000 });
  t.equal(noPath.status, 400);
  t.equal(
    (await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).status,
    404,
    'a rejected write changes nothing',
  );
});
