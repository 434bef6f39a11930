import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { allDown, allUp, reportedHealth } from '../helpers/reported-health.js';
import { switchableBackend } from '../helpers/switchable-backend.js';

t.test(
  'an only target that goes away and comes back, again and again, is reported down and up as it really is; since moves once per change',
  async (t) => {
    const backend = await switchableBackend();
    t.teardown(() => backend.down());
    const gw = await startTestGateway({
      config: {
        upstream: resolveUpstreamConfig({
          passive: { ejectBaseMs: 100, ejectMaxMs: 400 },
          breaker: { probes: 2 },
        }),
      },
    });
    t.teardown(() => gw.stop());
    const host = 'simpus.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(backend.origin), app: { name: 'SIMPUS' } });

    const sinces: string[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      await backend.down();
      t.equal((await http(`${gw.url}/`, { host })).status, 502, `cycle ${cycle}: down`);
      const down = await reportedHealth(gw, host);
      t.ok(allDown(down), `cycle ${cycle}: reported down at once: ${JSON.stringify(down)}`);
      sinces.push(down.since);
      // Failing past several ejection periods (re-trips, growing periods): no view turns up, since stays.
      for (let i = 0; i < 4; i++) {
        await sleep(150);
        t.equal((await http(`${gw.url}/`, { host })).status, 502);
        const still = await reportedHealth(gw, host);
        t.ok(allDown(still), `cycle ${cycle}.${i}: still down: ${JSON.stringify(still)}`);
        t.equal(still.since, down.since, `cycle ${cycle}.${i}: since unchanged while down`);
      }

      await backend.up();
      for (let i = 0; i < 2; i++) t.equal((await http(`${gw.url}/`, { host })).status, 200);
      const up = await reportedHealth(gw, host);
      t.ok(allUp(up), `cycle ${cycle}: up once it answered: ${JSON.stringify(up)}`);
      sinces.push(up.since);
      for (let i = 0; i < 3; i++) t.equal((await http(`${gw.url}/`, { host })).status, 200);
      t.equal((await reportedHealth(gw, host)).since, up.since, `cycle ${cycle}: since unchanged while up`);
    }
    t.equal(new Set(sinces).size, 6, `one since per real change: ${sinces}`);
    t.same([...sinces].sort(), sinces, 'and each later than the one before');
  },
);
