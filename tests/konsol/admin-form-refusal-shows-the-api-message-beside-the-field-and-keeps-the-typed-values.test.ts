import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const decode = (html: string) =>
  html.replace(/<br>/g, '\n').replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** The text beside a field: its error paragraph, tied to it by id. */
const besideField = (page: string, id: string) =>
  decode(new RegExp(`<p class="error" id="${id}-error">([^]*?)</p>`).exec(page)?.[1] ?? '');

const inputValue = (page: string, id: string) =>
  decode(new RegExp(`<input id="${id}"[^>]*?value="([^"]*)"`).exec(page)?.[1] ?? '(none)');

t.test(
  'a refused admin form shows the API message beside the field it names and keeps what was typed',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    await browser.get('/konsol/admin/pengguna');

    const user = {
      name: 'Rina Wati',
      login: 'Rina Wati!',
      role: 'agency:dinkes',
      password: 'rina-password-0123',
    };
    const api = await gw.admin('POST', '/v1/users', user);
    t.equal(api.status, 400, 'the API refuses the login');
    const apiError = (
      api.body as {
        error: { message: string; details: { fields: Array<{ path: string; message: string }> } };
      }
    ).error;
    const loginProblem = apiError.details.fields.find((f) => f.path === '/login');
    t.ok(loginProblem, 'the API names /login');

    const page = await browser.post('/konsol/admin/pengguna', user);
    t.equal(page.status, 400, 'the same status as the API');
    t.match(
      decode(page.text),
      `VALIDATION_FAILED: user is invalid at /login: ${loginProblem?.message}`,
      "the API's code and field message at the top of the form",
    );
    t.equal(
      besideField(page.text, 'user-login'),
      `/login: ${loginProblem?.message}`,
      'and beside the login field',
    );
    t.match(
      page.text,
      /<input id="user-login"[^>]*aria-describedby="[^"]*user-login-error"[^>]*aria-invalid="true"/,
    );
    t.equal(inputValue(page.text, 'user-name'), 'Rina Wati', 'the name is kept');
    t.equal(inputValue(page.text, 'user-login'), 'Rina Wati!', 'the login is kept as typed');
    t.match(page.text, /<option value="agency:dinkes" selected>/, 'the role is kept');
    t.notMatch(page.text, /rina-password-0123/, 'the password is not sent back');
    t.match(
      page.text,
      /Kata sandi tidak ditampilkan ulang demi keamanan: ketik lagi\./,
      'and the page says so',
    );
    t.equal(
      ((await gw.admin('GET', '/v1/users')).body as { users: unknown[] }).users.length,
      2,
      'no user created',
    );

    const taken = await browser.post('/konsol/admin/pengguna', { ...user, login: 'budi' });
    t.equal(taken.status, 409);
    t.equal(
      besideField(taken.text, 'user-login'),
      '/login: budi is taken',
      "the service's conflict beside the login",
    );

    await browser.get('/konsol/admin/instansi');
    const agency = {
      id: 'dinkes',
      name: 'Dinas Baru',
      contact: 'baru@paserkab.go.id',
      owns: 'baru.paserkab.go.id',
    };
    const duplicate = await browser.post('/konsol/admin/instansi', agency);
    t.equal(duplicate.status, 409, 'a create form does not replace an existing agency');
    t.equal(
      besideField(duplicate.text, 'agency-id'),
      '/id: agency dinkes already exists',
      'beside the id field',
    );
    t.equal(inputValue(duplicate.text, 'agency-id'), 'dinkes');
    t.equal(inputValue(duplicate.text, 'agency-name'), 'Dinas Baru', 'the name is kept');
    t.match(
      duplicate.text,
      /<textarea id="agency-owns"[^>]*>baru\.paserkab\.go\.id<\/textarea>/,
      'the names are kept',
    );
    const stored = (await gw.admin('GET', '/v1/agencies/dinkes')).body as { name: string };
    t.equal(stored.name, 'dinkes', 'the agency is unchanged');

    const badName = {
      id: 'dispar',
      name: 'Dinas Pariwisata',
      contact: 'x@paserkab.go.id',
      owns: 'ok.paserkab.go.id\n*.wisata.paserkab.go.id',
    };
    const apiOwns = await gw.admin('PUT', '/v1/agencies/dispar', {
      name: badName.name,
      contact: badName.contact,
      owns: badName.owns.split('\n'),
    });
    t.equal(apiOwns.status, 400);
    const refused = await browser.post('/konsol/admin/instansi', badName);
    t.equal(refused.status, 400);
    t.equal(
      besideField(refused.text, 'agency-owns'),
      (apiOwns.body as { error: { message: string } }).error.message,
      'the API message beside the owned names',
    );
    t.equal((await gw.admin('GET', '/v1/agencies/dispar')).status, 404, 'nothing created');
  },
);
