import t, { type Test } from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function strictHeaders(t: Test, headers: Headers, what: string): void {
  t.equal(headers.get('content-security-policy'), CSP, `${what}: CSP`);
  t.equal(headers.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  t.equal(headers.get('referrer-policy'), 'no-referrer', `${what}: no referrer`);
  t.equal(headers.get('cache-control'), 'no-store', `${what}: no-store`);
}

t.test(
  'login: Indonesian first, a strict session cookie, console headers, logout, all audited',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const browser = new KonsolClient(gw.adminUrl);
    t.teardown(() => browser.close());

    const anonymous = await browser.get('/konsol/');
    t.equal(anonymous.status, 303, 'no session: to the login page');
    t.match(anonymous.headers.get('location'), /^\/konsol\/login/);

    const form = await browser.get('/konsol/login');
    t.equal(form.status, 200);
    strictHeaders(t, form.headers, 'login page');
    t.match(form.text, /<html lang="id">/);
    t.match(form.text, /Kata sandi/);
    t.match(form.text, /<label for="password">/, 'labelled controls');
    t.notMatch(form.text, /<script|https?:\/\/(?!www\.w3)/, 'no script, no external asset');
    t.match((await browser.get('/konsol/login?lang=en')).text, /Password/);
    const english = await browser.request('GET', '/konsol/login', {
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    t.match(english.text, /<html lang="en">/, 'English by Accept-Language');
    const css = await browser.get('/konsol/assets/konsol.css');
    t.equal(css.status, 200);
    t.match(css.headers.get('content-type'), /^text\/css/);
    strictHeaders(t, css.headers, 'stylesheet');

    const wrong = await browser.login('budi', 'not the password');
    t.equal(wrong.status, 401);
    t.match(wrong.text, /Nama pengguna atau kata sandi salah/);
    t.notOk(browser.cookies.has('gerbang_konsol'), 'no session on a wrong password');

    await browser.get('/konsol/login');
    const res = await browser.post('/konsol/login', { login: 'budi', password: MEMBER_PASSWORD });
    t.equal(res.status, 303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('gerbang_konsol='));
    t.ok(cookie, 'a session cookie');
    t.match(cookie, /; Path=\/konsol(;|$)/);
    t.match(cookie, /; HttpOnly/);
    t.match(cookie, /; SameSite=Strict/);
    t.notMatch(cookie, /Secure/, 'not Secure over plain HTTP');
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie ?? '')?.[1]);
    t.ok(maxAge > 0 && maxAge <= 12 * 3600, `bounded lifetime (${maxAge} s)`);

    const page = await browser.get('/konsol/');
    t.equal(page.status, 200);
    strictHeaders(t, page.headers, 'services page');
    t.match(page.text, /Layanan saya/);
    t.match(page.text, /Budi Santoso/);

    const out = await browser.post('/konsol/logout', {});
    t.equal(out.status, 303);
    t.notOk(browser.cookies.has('gerbang_konsol'), 'the cookie is cleared');
    const stolen = new KonsolClient(gw.adminUrl);
    t.teardown(() => stolen.close());
    stolen.cookies.set('gerbang_konsol', /gerbang_konsol=([^;]+)/.exec(cookie ?? '')?.[1] ?? '');
    t.equal((await stolen.get('/konsol/')).status, 303, 'the old cookie no longer opens a page');

    const audit = await gw.admin('GET', '/v1/audit?limit=50');
    const actions = (audit.body as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
    for (const action of ['konsol.login', 'konsol.logout', 'konsol.login.failed'])
      t.ok(actions.includes(action), action);
    t.notOk(JSON.stringify(audit.body).includes(MEMBER_PASSWORD), 'no password in the audit log');
  },
);
