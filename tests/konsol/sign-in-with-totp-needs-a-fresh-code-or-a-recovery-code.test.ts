import t from 'tap';
import { base32Decode, hotp } from '../../src/control/users/totp.js';
import { startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const STEP_MS = 30_000;
const codeAt = (secret: string, ms: number) =>
  hotp(base32Decode(secret) ?? Buffer.alloc(0), Math.floor(ms / STEP_MS));

t.test(
  'a member enrols TOTP; sign-in then needs a code, once each, or a recovery code, once each',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const { memberId } = await seedUsers(gw);
    const browser = new KonsolClient(gw.adminUrl);
    t.teardown(() => browser.close());

    t.equal((await browser.login('budi', MEMBER_PASSWORD)).status, 303, 'password alone, before enrolment');
    t.equal((await browser.get('/konsol/akun')).status, 200);
    t.equal((await browser.post('/konsol/akun/totp', {})).status, 303, 'enrolment started');
    const pending = await browser.get('/konsol/akun');
    t.match(pending.text, /<svg[^>]*viewBox/, 'a QR code, inline');
    const secret = /<code>([A-Z2-7 ]{16,})<\/code>/.exec(pending.text)?.[1]?.replace(/ /g, '') ?? '';
    t.match(secret, /^[A-Z2-7]{32}$/, 'the key is shown for typing (160 bits)');

    const wrong = await browser.post('/konsol/akun/totp/konfirmasi', { code: '000000' });
    t.equal(wrong.status, 400, 'a wrong first code is refused on the page');
    t.match(wrong.text, /role="alert"/);
    const confirmed = await browser.post('/konsol/akun/totp/konfirmasi', {
      code: codeAt(secret, Date.now()),
    });
    t.equal(confirmed.status, 200);
    const recovery = [...confirmed.text.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map(
      (m) => m[1] ?? '',
    );
    t.equal(recovery.length, 10, 'ten recovery codes, shown once');
    t.notMatch((await browser.get('/konsol/akun')).text, recovery[0] ?? '?', 'never shown again');
    const view = (await gw.admin('GET', '/v1/users')).body as { users: Array<Record<string, unknown>> };
    const budi = view.users.find((u) => u.id === memberId);
    t.equal(budi?.totp, true, 'the API says a second factor is enrolled');
    t.notMatch(JSON.stringify(view), secret, 'and never shows the secret');

    const fresh = new KonsolClient(gw.adminUrl);
    t.teardown(() => fresh.close());
    await fresh.get('/konsol/login');
    const noCode = await fresh.post('/konsol/login', { login: 'budi', password: MEMBER_PASSWORD });
    t.equal(noCode.status, 401, 'the password alone no longer signs in');
    t.match(noCode.text, /kata sandi atau kode salah/);
    // A code of the next step: the confirmation may have used this one.
    const code = codeAt(secret, Date.now() + STEP_MS);
    const signedIn = await fresh.post('/konsol/login', { login: 'budi', password: MEMBER_PASSWORD, code });
    t.equal(signedIn.status, 303, 'password and a current code sign in');
    const replay = new KonsolClient(gw.adminUrl, '127.0.0.2');
    t.teardown(() => replay.close());
    await replay.get('/konsol/login');
    t.equal(
      (await replay.post('/konsol/login', { login: 'budi', password: MEMBER_PASSWORD, code })).status,
      401,
      'the same code a second time, from elsewhere: refused',
    );
    const byRecovery = await replay.post('/konsol/login', {
      login: 'budi',
      password: MEMBER_PASSWORD,
      code: recovery[3] ?? '',
    });
    t.equal(byRecovery.status, 303, 'a recovery code signs in');
    const again = new KonsolClient(gw.adminUrl, '127.0.0.3');
    t.teardown(() => again.close());
    await again.get('/konsol/login');
    t.equal(
      (
        await again.post('/konsol/login', {
          login: 'budi',
          password: MEMBER_PASSWORD,
          code: recovery[3] ?? '',
        })
      ).status,
      401,
      'but only once',
    );

    const reset = await gw.admin('DELETE', `/v1/users/${memberId}/totp`);
    t.equal(reset.status, 200, 'an admin removes the second factor of a user who lost the phone');
    t.equal((reset.body as { totp: boolean }).totp, false);
    await again.get('/konsol/login');
    t.equal((await again.login('budi', MEMBER_PASSWORD)).status, 303, 'the password alone signs in again');
    const audit = (await gw.admin('GET', '/v1/audit')).body as { entries: Array<{ action: string }> };
    const actions = audit.entries.map((e) => e.action);
    t.ok(actions.includes('user.totp.enable') && actions.includes('user.totp.remove'), 'both in the audit');
  },
);
