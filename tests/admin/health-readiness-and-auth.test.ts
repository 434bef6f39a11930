import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

t.test('health and readiness are open; the /v1 API needs the bearer token', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  t.equal((await fetch(`${gw.adminUrl}/healthz`)).status, 200);
  const ready = await fetch(`${gw.adminUrl}/readyz`);
  t.equal(ready.status, 200);
  t.match(await ready.json(), { ready: true });
  t.match(await (await fetch(`${gw.adminUrl}/metrics`)).text(), /gerbang_route_table_hosts/);

  const anonymous = await fetch(`${gw.adminUrl}/v1/hosts`);
  t.equal(anonymous.status, 401);
  t.match(await anonymous.json(), { error: { code: 'UNAUTHORIZED' } });
  t.equal((await gw.admin('GET', '/v1/hosts', undefined, 'wrong-token-wrong-token')).status, 401);
  t.equal((await gw.admin('GET', '/v1/hosts')).status, 200);
  const missing = await gw.admin('GET', '/v1/nothing');
  t.equal(missing.status, 404);
  t.match(missing.body, { error: { code: 'NOT_FOUND' } });
});
