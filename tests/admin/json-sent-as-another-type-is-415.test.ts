import t from 'tap';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

t.test(
  'a host document sent as text/plain is refused 415, as a form body is, and nothing is stored',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await fetch(`${gw.adminUrl}/v1/hosts/dinkes.paserkab.go.id`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': type },
        body: JSON.stringify({ routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] }),
      });
      t.equal(res.status, 415, type);
      t.equal(((await res.json()) as { error: { code: string } }).error.code, 'UNSUPPORTED_MEDIA_TYPE');
    }
    t.equal((await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).status, 404);
  },
);
