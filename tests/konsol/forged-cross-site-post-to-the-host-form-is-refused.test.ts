import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { assertForgeriesRefused, MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test('a forged or cross-site post to the host create and edit forms changes nothing', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  await seedUsers(gw);
  const put = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    ...simpleHost('http://127.0.0.1:9'),
    agency: 'dinkes',
  });
  t.equal(put.status, 201);
  const before = (await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).body as { updatedAt: string };
  const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
  await browser.get('/konsol/hosts/dinkes.paserkab.go.id/edit');
  const token = browser.csrf ?? '';
  t.ok(token.length > 20, 'the edit page carries the CSRF token');

  const edit = {
    routes: '- path: /\n  targets: [http://127.0.0.1:1]\n',
    'maintenance.enabled': 'on',
    updatedAt: before.updatedAt,
  };
  const create = { host: 'dinkes.paserkab.go.id', routes: edit.routes };
  await assertForgeriesRefused(t, browser, '/konsol/hosts/dinkes.paserkab.go.id/edit', edit, token);
  await assertForgeriesRefused(t, browser, '/konsol/hosts', create);
  const after = (await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).body as { updatedAt: string };
  t.equal(after.updatedAt, before.updatedAt, 'the host was not written');

  const real = await browser.post('/konsol/hosts/dinkes.paserkab.go.id/edit', { ...edit, csrf: token });
  t.equal(real.status, 303, 'the same post from the page itself saves');
  t.match(real.headers.get('location'), /\/konsol\/hosts\/dinkes\.paserkab\.go\.id\?saved=1/);
  const saved = (await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).body as {
    maintenance?: { enabled: boolean };
  };
  t.equal(saved.maintenance?.enabled, true);
});
