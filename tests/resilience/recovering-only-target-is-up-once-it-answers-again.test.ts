import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { allDown, allUp, reportedHealth } from '../helpers/reported-health.js';
import { switchableBackend } from '../helpers/switchable-backend.js';

t.test(
  'a dead only target that comes back is shown up once it has answered again, not before, and since moves once',
  async (t) => {
    const backend = await switchableBackend();
    t.teardown(() => backend.down());
    const gw = await startTestGateway({
      config: {
        upstream: resolveUpstreamConfig({
          passive: { ejectBaseMs: 150, ejectMaxMs: 600 },
          breaker: { probes: 2 },
        }),
      },
    });
    t.teardown(() => gw.stop());
    const host = 'simpus.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(backend.origin), app: { name: 'SIMPUS' } });

    t.equal((await http(`${gw.url}/`, { host })).status, 502);
    const down = await reportedHealth(gw, host);
    t.ok(allDown(down), `down: ${JSON.stringify(down)}`);

    // The backend is back, but nothing has reached it yet: past the ejection period, still nothing answered.
    await backend.up();
    await sleep(400);
    const unproven = await reportedHealth(gw, host);
    t.ok(allDown(unproven), `not up before it answered: ${JSON.stringify(unproven)}`);
    t.equal(unproven.since, down.since);

    t.equal((await http(`${gw.url}/`, { host })).status, 200, 'traffic reaches it (the only target)');
    const once = await reportedHealth(gw, host);
    t.ok(allDown(once), `one good answer is not yet enough (probes: 2): ${JSON.stringify(once)}`);
    t.equal((await http(`${gw.url}/`, { host })).status, 200);
    const back = await reportedHealth(gw, host);
    t.ok(allUp(back), `up once it answered twice: ${JSON.stringify(back)}`);
    t.equal(back.condition, 'healthy');
    t.equal(back.directoryUp, 1);
    t.ok(Date.parse(back.since) > Date.parse(down.since), 'since moved to the recovery');

    for (let i = 0; i < 3; i++) t.equal((await http(`${gw.url}/`, { host })).status, 200);
    const later = await reportedHealth(gw, host);
    t.ok(allUp(later));
    t.equal(later.since, back.since, 'and stays there while it keeps answering');
  },
);
