import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { openBrowserSession } from './browser-session.js';
import { MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test(
  'in Chromium: an agency member signs in, sees only their host, switches maintenance on, signs out',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await seedUsers(gw);
    for (const [host, agency] of [
      ['dinkes.paserkab.go.id', 'dinkes'],
      ['disdik.paserkab.go.id', 'disdik'],
    ]) {
      t.equal(
        (await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(backend.origin), agency })).status,
        201,
      );
    }

    const { page, violations, signIn } = await openBrowserSession(t, gw.adminUrl, {
      profilePrefix: 'gerbang-konsol-chromium-',
      hasTouch: true,
    });
    const elsewhere: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(`${gw.adminUrl}/`)) elsewhere.push(req.url());
    });

    await page.goto(`${gw.adminUrl}/konsol/`);
    t.match(page.url(), /\/konsol\/login/, 'sent to the login page');
    await signIn('budi', MEMBER_PASSWORD, { onLoginPage: true });
    t.equal(await page.locator('h1').textContent(), 'Layanan saya');
    t.equal(await page.locator('section h2').count(), 1, 'one host');
    t.equal(await page.locator('section h2').textContent(), 'dinkes.paserkab.go.id', 'their own');
    const color = await page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor");
    t.equal(color, 'rgb(11, 79, 108)', 'the stylesheet loaded under the CSP');

    await Promise.all([
      page.waitForURL(/saved=1/),
      page.getByRole('button', { name: 'Aktifkan pemeliharaan' }).click(),
    ]);
    t.match(await page.locator('[role=status]').textContent(), /Perubahan sudah berlaku/);
    t.equal(await page.locator('[data-status]').getAttribute('data-status'), 'maintenance');
    const screenshot = join(tmpdir(), `gerbang-konsol-services-${process.pid}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    t.comment(`screenshot: ${screenshot}`);
    const publicAnswer = await http(`${gw.url}/`, { headers: { host: 'dinkes.paserkab.go.id' } });
    t.equal(publicAnswer.status, 503, 'the public listener answers 503 for the host');

    const foreign = await page.goto(`${gw.adminUrl}/konsol/hosts/disdik.paserkab.go.id`);
    t.equal(foreign?.status(), 403, "typing another agency's host URL: 403");
    await page.goto(`${gw.adminUrl}/konsol/`);

    await Promise.all([
      page.waitForURL(/\/konsol\/login/),
      page.getByRole('button', { name: 'Keluar' }).click(),
    ]);
    const after = await page.goto(`${gw.adminUrl}/konsol/`);
    t.match(after?.url() ?? '', /\/konsol\/login/, 'signed out: back to the login page');
    t.same(elsewhere, [], 'nothing is loaded from another origin');
    t.same(violations, [], 'no CSP violation');
  },
);
