import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { agencyWithToken, codeOf } from '../registry/kit.js';
import { type UptimeBody, waitForUptime } from './uptime-kit.js';

t.test('GET /v1/uptime: admin sees every agency, an agency token only its own services', async (t) => {
  const a = await startBackend(echoHandler('a'));
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await a.stop();
  });
  const dinkes = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
  await agencyWithToken(gw, 'disdik', ['disdik.paserkab.go.id']);
  for (const agency of ['dinkes', 'disdik']) {
    await gw.admin('PUT', `/v1/hosts/${agency}.paserkab.go.id`, {
      agency,
      routes: [{ path: '/', targets: [a.origin] }],
    });
  }
  await waitForUptime(gw, 'disdik.paserkab.go.id', 'disdik recorded', () => true);
  await waitForUptime(gw, 'dinkes.paserkab.go.id', 'dinkes recorded', () => true);

  const all = await gw.admin('GET', '/v1/uptime');
  t.equal(all.status, 200);
  const body = all.body as UptimeBody;
  t.same(
    body.services.map((s) => s.host),
    ['dinkes.paserkab.go.id', 'disdik.paserkab.go.id'],
  );
  t.same(body.agencies.map((x) => x.agency).sort(), ['dinkes', 'disdik']);
  t.equal(body.services[0]?.uptimePercent, 100);

  const own = await gw.admin('GET', '/v1/uptime', undefined, dinkes);
  t.same(
    (own.body as UptimeBody).services.map((s) => s.host),
    ['dinkes.paserkab.go.id'],
  );
  const other = await gw.admin('GET', '/v1/uptime?agency=disdik', undefined, dinkes);
  t.equal(other.status, 403);
  t.equal(codeOf(other.body), 'FORBIDDEN');
  const otherHost = await gw.admin('GET', '/v1/uptime?host=disdik.paserkab.go.id', undefined, dinkes);
  t.equal(otherHost.status, 403);
  t.equal(codeOf(otherHost.body), 'HOST_NOT_OWNED');
  const badMonth = await gw.admin('GET', '/v1/uptime?month=2026-1');
  t.equal(badMonth.status, 400);
});
