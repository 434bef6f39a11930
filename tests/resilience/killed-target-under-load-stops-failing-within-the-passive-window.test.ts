import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue } from '../helpers/wait-for.js';

t.test(
  'one of two targets killed under steady load: client failures stop within the passive window',
  async (t) => {
    const a = await startBackend(echoHandler('a'));
    const b = await startBackend(echoHandler('b'));
    const ejectBaseMs = 1_000;
    const gw = await startTestGateway({
      config: { upstream: resolveUpstreamConfig({ passive: { ejectBaseMs, ejectMaxMs: 4_000 } }) },
    });
    t.teardown(async () => {
      await gw.stop();
      await a.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [a.origin, b.origin] }] });

    const start = performance.now();
    const runMs = 4_000;
    const killAt = 1_000;
    const failures: number[] = [];
    const byBackend = { a: 0, b: 0 };
    let killed = false;
    const worker = async (): Promise<void> => {
      while (performance.now() - start < runMs) {
        const res = await http(`${gw.url}/`, { host }).catch(() => ({ status: 0, body: '' }));
        const at = performance.now() - start;
        if (res.status !== 200) failures.push(at);
        else byBackend[JSON.parse(res.body).backend as 'a' | 'b']++;
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, worker));
    await sleep(killAt);
    // Killed with requests in flight: listening socket closed, open connections reset.
    await b.stop();
    killed = true;
    await load;

    t.ok(killed);
    t.ok(byBackend.b > 10, `b took traffic before it died (${byBackend.b})`);
    t.ok(byBackend.a > 50, `a took the load (${byBackend.a})`);
    const late = failures.filter((at) => at > killAt + ejectBaseMs);
    t.same(
      late,
      [],
      `no client failure once the passive window has passed (failures at ${failures.map(Math.round)})`,
    );
    t.ok(failures.length <= 8, `at most the requests in flight on b at the kill failed (${failures.length})`);
    t.ok(
      (await metricValue(gw.adminUrl, 'gerbang_target_ejections_total', { target: b.origin })) >= 1,
      'the ejection is counted',
    );
    t.equal(await metricValue(gw.adminUrl, 'gerbang_target_up', { host, target: a.origin }), 1, 'a is up');
    // Without ejection every other request would hit b and need a retry: hundreds. Ejected, only the
    // requests in flight at the kill and one probe per ejection period are retried.
    const retries = await metricValue(gw.adminUrl, 'gerbang_upstream_retries_total', { host });
    t.ok(retries <= 20, `few retries (${retries})`);
  },
);
