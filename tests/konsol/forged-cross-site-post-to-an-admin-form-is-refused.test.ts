import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { adminForms, registryState } from './admin-forms.js';
import { ADMIN_PASSWORD, assertForgeriesRefused, seedUsers, signedInClient } from './konsol-client.js';

t.test('every admin form refuses a post without the session CSRF token or from another origin', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const { memberId } = await seedUsers(gw);
  const token = await gw.admin('POST', '/v1/tokens', { scope: 'agency:disdik', note: 'ci' });
  t.equal(token.status, 201);
  const ids = { agency: 'disdik', user: memberId, token: (token.body as { id: string }).id };
  const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
  await browser.get('/konsol/admin/instansi');
  const csrf = browser.csrf ?? '';
  t.ok(csrf.length > 20, 'the page carries a CSRF token');
  const before = await registryState(gw);

  for (const [path, form] of adminForms(ids)) await assertForgeriesRefused(t, browser, path, form, csrf);
  t.equal(await registryState(gw), before, 'agencies, users and tokens are as they were');

  const real = await browser.post('/konsol/admin/token', { scope: 'agency:disdik', note: 'from the page' });
  t.equal(real.status, 201, 'the same post from the page itself works');
});
