import t from 'tap';
import { DEFAULT_AUTH_FAILURE_LIMIT } from '../../src/config/defaults.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { codeOf } from './kit.js';

t.test('repeated failed authentications from one address get 429 with Retry-After', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  for (let i = 0; i < DEFAULT_AUTH_FAILURE_LIMIT; i++) {
    t.equal((await gw.admin('GET', '/v1/hosts', undefined, `wrong-${i}`)).status, 401);
  }
  const res = await fetch(`${gw.adminUrl}/v1/hosts`, { headers: { authorization: 'Bearer wrong-again' } });
  t.equal(res.status, 429, 'the next failure waits: the address is guessing');
  t.equal(codeOf(await res.json()), 'TOO_MANY_REQUESTS');
  const retry = Number(res.headers.get('retry-after'));
  t.ok(retry > 0 && retry <= 60, `Retry-After: ${retry}`);
  const good = await fetch(`${gw.adminUrl}/v1/hosts`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  t.equal(good.status, 200, 'a good token is not refused (see valid-tokens-get-in-...)');
  t.equal((await fetch(`${gw.adminUrl}/healthz`)).status, 200, 'health checks stay open');
});
