import type { AddressInfo } from 'node:net';
import { createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { resolveUpstreamConfig } from '../../src/config/upstream-config.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue } from '../helpers/wait-for.js';

t.test('a target that accepts and never answers costs at most one timeout per ejection', async (t) => {
  const a = await startBackend(echoHandler('a'));
  // Accepts connections, reads, never writes a byte.
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.resume();
  });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const hungOrigin = `http://127.0.0.1:${(hung.address() as AddressInfo).port}`;
  const gw = await startTestGateway({
    config: { upstream: resolveUpstreamConfig({ passive: { ejectBaseMs: 300, ejectMaxMs: 600 } }) },
  });
  t.teardown(async () => {
    await gw.stop();
    await a.stop();
    for (const s of sockets) s.destroy();
    hung.close();
  });
  const host = 'dinkes.paserkab.go.id';
  await gw.admin('PUT', `/v1/hosts/${host}`, {
    routes: [{ path: '/', targets: [a.origin, hungOrigin], timeouts: { response: 250 } }],
  });

  const start = performance.now();
  let ok = 0;
  let timeouts = 0;
  const other: number[] = [];
  while (performance.now() - start < 4_000) {
    const res = await http(`${gw.url}/`, { host });
    if (res.status === 200) ok++;
    else if (res.status === 504) timeouts++;
    else other.push(res.status);
  }
  const ejections = await metricValue(gw.adminUrl, 'gerbang_target_ejections_total', {
    target: hungOrigin,
    reason: 'timeout',
  });
  const probeFailures = await metricValue(gw.adminUrl, 'gerbang_target_ejections_total', {
    target: hungOrigin,
    reason: 'probe_failed',
  });
  t.same(other, [], 'nothing but answers from a and timeouts');
  t.ok(
    ejections + probeFailures >= 3,
    `the hung target was probed again after each period (${ejections}+${probeFailures})`,
  );
  t.ok(
    timeouts <= ejections + probeFailures,
    `${timeouts} timeouts for ${ejections + probeFailures} ejections`,
  );
  t.ok(ok > timeouts * 5, `a answered the rest (${ok})`);
});
