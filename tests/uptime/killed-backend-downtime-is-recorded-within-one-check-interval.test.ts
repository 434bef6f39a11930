import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { attackSize } from '../helpers/attack.js';
import { startTestGateway } from '../helpers/gateway.js';
import { CHECK_INTERVAL_MS, HEALTH_CHECK, killableBackend, waitForUptime } from './uptime-kit.js';

// Timers and a busy event loop add a little to the check interval itself.
const SLACK_MS = 100;

t.test(
  'a backend stopped for a measured time is recorded down for that time, within one check interval',
  async (t) => {
    const backend = await killableBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'simpus.paserkab.go.id';
    const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
      routes: [{ path: '/', targets: [backend.origin], healthCheck: HEALTH_CHECK }],
    });
    t.equal(put.status, 201);
    await waitForUptime(gw, host, 'the host recorded up', (s) => s.incidents.length === 0);
    await sleep(2 * CHECK_INTERVAL_MS);

    const downFor = attackSize(1_500, 10_000);
    const stoppedAt = Date.now();
    await backend.stop();
    await sleep(downFor);
    await backend.start();
    const startedAt = Date.now();

    const s = await waitForUptime(gw, host, 'the incident closed', (x) => x.incidents[0]?.end !== undefined);
    t.equal(s.incidents.length, 1, 'one incident');
    const incident = s.incidents[0];
    if (incident === undefined || incident.end === undefined) throw new Error('no closed incident');
    const start = Date.parse(incident.start);
    const end = Date.parse(incident.end);
    const measured = startedAt - stoppedAt;
    const recorded = end - start;
    t.comment(
      `measured down ${measured} ms, recorded ${recorded} ms (start +${start - stoppedAt}, end +${end - startedAt})`,
    );
    t.ok(
      start >= stoppedAt && start - stoppedAt <= CHECK_INTERVAL_MS + SLACK_MS,
      'starts within one interval',
    );
    t.ok(
      end >= startedAt - SLACK_MS && end - startedAt <= CHECK_INTERVAL_MS + SLACK_MS,
      'ends within one interval',
    );
    t.ok(Math.abs(recorded - measured) <= CHECK_INTERVAL_MS + SLACK_MS, 'downtime within one interval');
    t.equal(s.downtimeSeconds, incident.durationSeconds);
    t.match(incident.cause, /health check failed: GET \/healthz → refused/);
    t.ok(s.uptimePercent < 100 && s.uptimePercent > 0, `uptime ${s.uptimePercent} %`);
  },
);
