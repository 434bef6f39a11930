import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { agencyWithToken, codeOf } from '../registry/kit.js';

interface StatusBody {
  generatedAt: string;
  hosts: Array<{
    host: string;
    agency?: string;
    status: string;
    routes: Array<{ path: string; targets: Array<Record<string, unknown>> }>;
  }>;
}

t.test(
  'GET /v1/status lists targets with health, since and why; an agency token sees only its hosts',
  async (t) => {
    const a = await startBackend(echoHandler('a'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await a.stop();
    });
    const dinkes = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
    await agencyWithToken(gw, 'disdik', ['disdik.paserkab.go.id']);
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      agency: 'dinkes',
      routes: [{ path: '/', targets: [a.origin] }],
    });
    await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
      agency: 'disdik',
      routes: [{ path: '/', targets: [a.origin] }],
    });

    const all = await gw.admin('GET', '/v1/status');
    t.equal(all.status, 200);
    t.same(
      (all.body as StatusBody).hosts.map((h) => h.host),
      ['dinkes.paserkab.go.id', 'disdik.paserkab.go.id'],
      'admin sees all',
    );
    const target = (all.body as StatusBody).hosts[0]?.routes[0]?.targets[0];
    t.match(target, {
      target: a.origin,
      up: true,
      condition: 'healthy',
      weight: 1,
      inFlight: 0,
      reason: String,
      since: String,
      checks: [],
    });

    const own = await gw.admin('GET', '/v1/status', undefined, dinkes);
    t.same(
      (own.body as StatusBody).hosts.map((h) => h.host),
      ['dinkes.paserkab.go.id'],
      'an agency sees its own',
    );
    const other = await gw.admin('GET', '/v1/status?host=disdik.paserkab.go.id', undefined, dinkes);
    t.equal(other.status, 403);
    t.equal(codeOf(other.body), 'HOST_NOT_OWNED');
    t.equal((await gw.admin('GET', '/v1/status', undefined, 'not-a-token')).status, 401);
    t.equal(codeOf((await gw.admin('GET', '/v1/status?host=nope.paserkab.go.id')).body), 'HOST_NOT_FOUND');
  },
);
