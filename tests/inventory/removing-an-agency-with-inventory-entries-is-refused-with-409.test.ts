import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

type Err = { error: { code: string; message: string } };

t.test('an agency with inventory entries is not removed; once they are gone it is', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  await gw.admin('PUT', '/v1/agencies/dinkes', {
    name: 'Dinas Kesehatan',
    contact: 'it@dinkes',
    owns: ['dinkes.paserkab.go.id'],
  });
  const entry = { agency: 'dinkes', state: 'reported', name: 'SIMPUS lama', url: 'http://simpus.example/' };
  t.equal((await gw.admin('PUT', '/v1/inventory/dinkes-simpus', entry)).status, 201);

  const refused = await gw.admin('DELETE', '/v1/agencies/dinkes');
  t.equal(refused.status, 409);
  t.equal((refused.body as Err).error.code, 'AGENCY_HAS_INVENTORY');
  t.match((refused.body as Err).error.message, /dinkes-simpus/, 'names the entries in the way');
  t.equal((await gw.admin('GET', '/v1/agencies/dinkes')).status, 200, 'the agency stays');
  t.equal((await gw.admin('GET', '/v1/inventory/dinkes-simpus')).status, 200, 'and its entry');

  t.equal((await gw.admin('DELETE', '/v1/inventory/dinkes-simpus')).status, 204);
  t.equal((await gw.admin('DELETE', '/v1/agencies/dinkes')).status, 204, 'removed once it has no entries');
});
