import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test('a form post without the session CSRF token, or from another origin, changes nothing', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  await seedUsers(gw);
  const put = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    ...simpleHost('http://127.0.0.1:9'),
    agency: 'dinkes',
  });
  t.equal(put.status, 201);
  const browser = new KonsolClient(gw.adminUrl);
  t.teardown(() => browser.close());
  t.equal((await browser.login('budi', MEMBER_PASSWORD)).status, 303);
  await browser.get('/konsol/');
  const token = browser.csrf ?? '';
  t.ok(token.length > 20, 'the page carries a CSRF token');
  const action = '/konsol/hosts/dinkes.paserkab.go.id/maintenance';

  const forged = [
    ['no CSRF token', { enabled: 'on', csrf: '' }, {}],
    ['another token', { enabled: 'on', csrf: 'x'.repeat(32) }, {}],
    ['a foreign Origin', { enabled: 'on' }, { origin: 'http://evil.example' }],
    ['Sec-Fetch-Site cross-site', { enabled: 'on' }, { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site same-site',
      { enabled: 'on' },
      { 'sec-fetch-site': 'same-site', origin: 'http://a.paserkab.go.id' },
    ],
  ] as const;
  for (const [what, form, headers] of forged) {
    const res = await browser.post(action, form, headers);
    t.equal(res.status, 403, `${what}: 403`);
    t.match(res.text, /CSRF_REFUSED/, `${what}: CSRF_REFUSED`);
  }
  const bare = await browser.request('POST', action, { form: { enabled: 'on', csrf: token } });
  t.equal(bare.status, 403, 'neither Origin nor Sec-Fetch-Site: 403');
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
