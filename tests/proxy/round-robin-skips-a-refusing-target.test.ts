import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test(
  'targets take turns; one that refuses connections is retried elsewhere and skipped for the next requests',
  async (t) => {
    const a = await startBackend(echoHandler('a'));
    const b = await startBackend(echoHandler('b'));
    const dead = await freePort();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([a.stop(), b.stop()]);
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [{ path: '/', targets: [a.origin, `http://127.0.0.1:${dead}`, b.origin] }],
    });

    const statuses: number[] = [];
    const names: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' });
      statuses.push(res.status);
      if (res.status === 200) names.push(JSON.parse(res.body).backend);
    }
    // Issue 7: a refused idempotent request is retried once on another target, so the client sees no failure.
    t.equal(statuses.filter((s) => s === 502).length, 0, 'the dead target costs no failure, then is skipped');
    t.ok(
      names.filter((n) => n === 'a').length >= 5 && names.filter((n) => n === 'b').length >= 5,
      'a and b share the rest',
    );
  },
);
