import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { base32Decode, hotp } from '../../src/control/users/totp.js';
import { startTestGateway } from '../helpers/gateway.js';
import { openBrowserSession } from './browser-session.js';
import { MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const codeAt = (secret: string, ms: number) =>
  hotp(base32Decode(secret) ?? Buffer.alloc(0), Math.floor(ms / 30_000));
const NEW_PASSWORD = 'a-new-password-4567';

t.test(
  'in Chromium: a member turns on two-step sign-in, signs in with a code, changes their own password',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const session = await openBrowserSession(t, gw.adminUrl, { profilePrefix: 'gerbang-konsol-totp-' });
    const { page, violations } = session;
    const signIn = (password: string, code?: string) =>
      session.signIn('budi', password, { ...(code !== undefined ? { code } : {}), mayBeRefused: true });

    await signIn(MEMBER_PASSWORD);
    await page.getByRole('link', { name: 'Budi Santoso' }).click();
    t.equal(await page.locator('h1').textContent(), 'Akun saya', 'the account page, from the header');
    await page.getByRole('button', { name: 'Aktifkan autentikasi dua langkah' }).click();
    await page.waitForURL(/\/konsol\/akun/);
    t.ok(await page.locator('.qr svg').isVisible(), 'the QR code is drawn (inline SVG, allowed by the CSP)');
    const secret = ((await page.locator('main p code').first().textContent()) ?? '').replace(/ /g, '');
    await page.getByLabel(/Kode autentikator/).fill(codeAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Konfirmasi' }).click();
    await page.waitForLoadState();
    t.equal(await page.locator('ul.codes li').count(), 10, 'the recovery codes are shown');
    const recovery = await page.locator('ul.codes li code').allTextContents();
    await page.screenshot({ path: join(tmpdir(), `gerbang-konsol-totp-${process.pid}.png`), fullPage: true });
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.waitForURL(/\/konsol\/login/);

    await signIn(MEMBER_PASSWORD);
    t.match(await page.locator('[role=alert]').textContent(), /kode salah/, 'without the code: refused');
    await signIn(MEMBER_PASSWORD, codeAt(secret, Date.now() + 30_000));
    t.equal(await page.locator('h1').textContent(), 'Layanan saya', 'with the code: signed in');

    await page.goto(`${gw.adminUrl}/konsol/akun`);
    await page.getByLabel('Kata sandi sekarang').fill(MEMBER_PASSWORD);
    await page.getByLabel(/Kata sandi baru/).fill(NEW_PASSWORD);
    // The step ahead is used already: a recovery code stands in for the code (each works once).
    await page.locator('#password-code').fill(recovery[0] ?? '');
    await page.getByRole('button', { name: 'Ganti kata sandi' }).click();
    await page.waitForURL(/\/konsol\/login.*changed=1/);
    t.match(await page.locator('[role=status]').textContent(), /Kata sandi diganti/, 'told to sign in again');
    await signIn(NEW_PASSWORD, recovery[1]);
    t.equal(await page.locator('h1').textContent(), 'Layanan saya', 'the new password works');
    t.same(violations, [], 'no CSP violation');
  },
);
