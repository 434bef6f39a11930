import t from 'tap';
import { DEFAULT_AUTH_FAILURE_LIMIT } from '../../src/config/defaults.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { agencyWithToken, codeOf } from './kit.js';

t.test('valid admin and agency tokens get in from an address that failed far past the limit', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const agencyToken = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
  // Everyone here shares 127.0.0.1, as operators behind one office NAT or SSH tunnel do.
  const failures = DEFAULT_AUTH_FAILURE_LIMIT * 2;
  let refused = 0;
  for (let i = 0; i < failures; i++) {
    const status = (await gw.admin('GET', '/v1/hosts', undefined, `wrong-${i}`)).status;
    if (status === 429) refused++;
    else t.equal(status, 401, `failure ${i} is 401 or 429`);
  }
  t.equal(refused, failures - DEFAULT_AUTH_FAILURE_LIMIT, 'failures past the limit are slowed with 429');

  const admin = await gw.admin('GET', '/v1/hosts', undefined, TEST_ADMIN_TOKEN);
  t.equal(admin.status, 200, `the admin token gets in (${codeOf(admin.body) ?? 'ok'})`);
  const agency = await gw.admin('GET', '/v1/hosts', undefined, agencyToken);
  t.equal(agency.status, 200, `the agency token gets in (${codeOf(agency.body) ?? 'ok'})`);
  const write = await gw.admin('PUT', '/v1/agencies/disdik', {
    name: 'Dinas Pendidikan',
    contact: 'disdik@paserkab.go.id',
    owns: ['disdik.paserkab.go.id'],
  });
  t.equal(write.status, 201, 'an admin write goes through too');

  const still = await gw.admin('GET', '/v1/hosts', undefined, 'wrong-again');
  t.equal(still.status, 429, 'a success does not clear the guesser: the next failure is still slowed');
});
