import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { CHECK_INTERVAL_MS, HEALTH_CHECK, killableBackend, uptimeOf, waitForUptime } from './uptime-kit.js';

t.test('the embedded store keeps the incidents across a restart of the gateway', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-uptime-'));
  const backend = await killableBackend();
  let gw = await startTestGateway({ stateDir });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
    await rm(stateDir, { recursive: true, force: true });
  });
  const host = 'sirup.paserkab.go.id';
  const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
    routes: [{ path: '/', targets: [backend.origin], healthCheck: HEALTH_CHECK }],
  });
  t.equal(put.status, 201);
  await waitForUptime(gw, host, 'the host recorded', (s) => s.incidents.length === 0);
  await backend.stop();
  await sleep(4 * CHECK_INTERVAL_MS);
  await backend.start();
  const before = await waitForUptime(
    gw,
    host,
    'the incident closed',
    (s) => s.incidents[0]?.end !== undefined,
  );

  await gw.stop();
  gw = await startTestGateway({ stateDir });
  // Give the new process time to look at the host again (it rewrites the record once at start).
  await sleep(4 * CHECK_INTERVAL_MS);
  const after = await uptimeOf(gw, host);
  t.same(after?.incidents, before.incidents, 'the same incident, start and end to the millisecond');
  t.equal(after?.downtimeSeconds, before.downtimeSeconds);
  t.ok((after?.observedSeconds ?? 0) >= before.observedSeconds, 'counted since the first recording');
});
