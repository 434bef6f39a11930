import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/wait-for.js';
import { MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test('removing a user ends their open sessions, and a password reset ends them too', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const { memberId } = await seedUsers(gw);

  const reset = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
  t.equal((await reset.get('/konsol/')).status, 200);
  await gw.admin('POST', `/v1/users/${memberId}/password`, { password: 'a brand new password' });
  await waitFor(
    'the reset to end the session',
    async () => (await reset.get('/konsol/')).status === 303,
    5_000,
  );
  t.pass('a password reset ends the session');

  const browser = await signedInClient(t, gw, 'budi', 'a brand new password');
  t.equal((await browser.get('/konsol/')).status, 200, 'signed in');
  const del = await gw.admin('DELETE', `/v1/users/${memberId}`);
  t.equal(del.status, 204);
  // Sessions are checked against the store; the local cache holds them at most DEFAULT_SESSION_CACHE_MS.
  await waitFor('the session to end', async () => (await browser.get('/konsol/')).status === 303, 5_000);
  t.pass('the deleted user is sent to the login page');
  const again = await browser.login('budi', 'a brand new password');
  t.equal(again.status, 401, 'and cannot sign in again');
  const sessions = await gw.gateway.store.getAll('sessions');
  t.notOk(
    [...sessions.values()].some((raw) => raw.includes(memberId)),
    'no session of the user is left in the store',
  );
  const audit = await gw.admin('GET', '/v1/audit?limit=50');
  t.ok(
    (audit.body as { entries: Array<{ action: string }> }).entries.some((e) => e.action === 'user.delete'),
    'user.delete audited',
  );
});
