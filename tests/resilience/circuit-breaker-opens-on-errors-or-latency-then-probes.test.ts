import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue } from '../helpers/wait-for.js';

const host = 'dinkes.paserkab.go.id';

async function targetOf(gw: Awaited<ReturnType<typeof startTestGateway>>, origin: string) {
  const res = await gw.admin('GET', `/v1/status?host=${host}`);
  const body = res.body as {
    hosts: Array<{
      routes: Array<{ targets: Array<{ target: string; condition: string; reason: string }> }>;
    }>;
  };
  return body.hosts[0]?.routes[0]?.targets.find((x) => x.target === origin);
}

t.test('past the error ratio the breaker opens, then a few probes close it', async (t) => {
  let broken = true;
  const a = await startBackend(echoHandler('a'));
  const echoB = echoHandler('b');
  const b = await startBackend((req, res) => {
    if (!broken) return echoB(req, res);
    res.writeHead(500, { 'content-length': 5 });
    res.end('error');
  });
  const gw = await startTestGateway({
    config: {
      upstream: resolveUpstreamConfig({
        passive: { ejectBaseMs: 500 },
        breaker: { windowMs: 30_000, minRequests: 10, errorRatio: 0.5, probes: 2 },
      }),
    },
  });
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([a.stop(), b.stop()]);
  });
  await gw.admin('PUT', `/v1/hosts/${host}`, {
    routes: [{ path: '/', targets: [a.origin, b.origin], cache: { enabled: false } }],
  });

  let errors = 0;
  for (let i = 0; i < 40; i++) if ((await http(`${gw.url}/`, { host })).status === 500) errors++;
  t.equal(errors, 10, 'b answered 500 until its window held enough requests, then got none');
  t.equal(
    await metricValue(gw.adminUrl, 'gerbang_circuit_breaker_open_total', {
      target: b.origin,
      reason: 'error_ratio',
    }),
    1,
  );
  const open = await targetOf(gw, b.origin);
  t.equal(open?.condition, 'open');
  t.match(open?.reason, /circuit open for 500 ms: 10 of 10 requests failed/);
  t.equal(await metricValue(gw.adminUrl, 'gerbang_target_up', { host, target: b.origin }), 0);

  broken = false;
  await sleep(600);
  const seen = b.seen.length;
  for (let i = 0; i < 12; i++) await http(`${gw.url}/`, { host });
  t.ok(b.seen.length - seen >= 4, 'after two good probes b takes its share again');
  const closed = await targetOf(gw, b.origin);
  t.equal(closed?.condition, 'healthy');
  t.match(closed?.reason, /back in service: 2 probes succeeded/);
});

t.test('past the share of slow answers the breaker opens too', async (t) => {
  const a = await startBackend(echoHandler('a'));
  const echoB = echoHandler('b');
  const b = await startBackend((req, res) => void setTimeout(() => echoB(req, res), 150));
  const gw = await startTestGateway({
    config: {
      upstream: resolveUpstreamConfig({
        breaker: { windowMs: 30_000, minRequests: 5, latencyMs: 100, slowRatio: 0.5 },
      }),
    },
  });
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([a.stop(), b.stop()]);
  });
  await gw.admin('PUT', `/v1/hosts/${host}`, {
    routes: [{ path: '/', targets: [a.origin, b.origin], cache: { enabled: false } }],
  });
  for (let i = 0; i < 30; i++) t.equal((await http(`${gw.url}/`, { host })).status, 200);
  t.equal(b.seen.length, 5, 'b got requests until five slow answers were counted');
  t.equal(
    await metricValue(gw.adminUrl, 'gerbang_circuit_breaker_open_total', {
      target: b.origin,
      reason: 'latency',
    }),
    1,
  );
  t.match((await targetOf(gw, b.origin))?.reason, /5 of 5 answers slower than 100 ms/);
});
