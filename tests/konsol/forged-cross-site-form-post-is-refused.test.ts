import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import {
  assertForgeriesRefused,
  KonsolClient,
  MEMBER_PASSWORD,
  seedUsers,
  signedInClient,
} from './konsol-client.js';

t.test('a form post without the session CSRF token, or from another origin, changes nothing', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  await seedUsers(gw);
  const put = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    ...simpleHost('http://127.0.0.1:9'),
    agency: 'dinkes',
  });
  t.equal(put.status, 201);
  const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
  await browser.get('/konsol/');
  const token = browser.csrf ?? '';
  t.ok(token.length > 20, 'the page carries a CSRF token');
  const action = '/konsol/hosts/dinkes.paserkab.go.id/maintenance';

  await assertForgeriesRefused(t, browser, action, { enabled: 'on' }, token);
  const host = await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id');
  t.notOk(
    (host.body as { maintenance?: { enabled: boolean } }).maintenance?.enabled,
    'maintenance still off',
  );

  const crossLogin = new KonsolClient(gw.adminUrl);
  t.teardown(() => crossLogin.close());
  await crossLogin.get('/konsol/login');
  const login = await crossLogin.post(
    '/konsol/login',
    { login: 'budi', password: MEMBER_PASSWORD },
    { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
  );
  t.equal(login.status, 403, 'a cross-site login post is refused (login CSRF)');

  const real = await browser.post(action, { enabled: 'on', csrf: token });
  t.equal(real.status, 303, 'the same post from the page itself works');
  const after = await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id');
  t.equal((after.body as { maintenance?: { enabled: boolean } }).maintenance?.enabled, true);
});
