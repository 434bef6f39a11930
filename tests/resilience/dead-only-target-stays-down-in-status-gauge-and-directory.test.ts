import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { allDown, reportedHealth } from '../helpers/reported-health.js';
import { switchableBackend } from '../helpers/switchable-backend.js';

t.test(
  'a host whose only target is dead stays down in /v1/status, gerbang_target_up and the directory, long after its ejection period',
  async (t) => {
    const dead = await switchableBackend(); // never listens
    const gw = await startTestGateway({
      config: {
        upstream: resolveUpstreamConfig({ passive: { ejectBaseMs: 150, ejectMaxMs: 600 } }),
      },
    });
    t.teardown(() => gw.stop());
    const host = 'simpus.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(dead.origin), app: { name: 'SIMPUS' } });

    t.equal((await http(`${gw.url}/`, { host })).status, 502, 'the first request finds nothing listening');
    const first = await reportedHealth(gw, host);
    t.ok(allDown(first), `down at once: ${JSON.stringify(first)}`);

    // Requests keep coming (the only target keeps its traffic) and keep failing, well past several periods.
    const seen = [];
    for (let i = 0; i < 8; i++) {
      await sleep(200);
      t.equal((await http(`${gw.url}/`, { host })).status, 502, `request ${i} still gets a 502`);
      seen.push(await reportedHealth(gw, host));
    }
    // And with no traffic at all for a while: nothing answered, so nothing may say it is up.
    await sleep(800);
    seen.push(await reportedHealth(gw, host));
    for (const [i, r] of seen.entries()) {
      t.ok(allDown(r), `still down in every view (${i}): ${JSON.stringify(r)}`);
      t.equal(r.directoryUp, 0, 'the directory counts no service up');
      t.equal(r.since, first.since, 'since stays where the target went down (re-trips are no change)');
    }
  },
);
