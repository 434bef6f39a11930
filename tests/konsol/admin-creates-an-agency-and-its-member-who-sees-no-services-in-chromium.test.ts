import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { openBrowserSession } from './browser-session.js';
import { ADMIN_PASSWORD, seedUsers } from './konsol-client.js';

const SITI_PASSWORD = 'siti-password-0123';

t.test(
  'in Chromium: an admin creates an agency and a member of it, who signs in and sees an empty services list',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const { page, violations, signIn } = await openBrowserSession(t, gw.adminUrl, {
      profilePrefix: 'gerbang-konsol-admin-',
    });

    await signIn('admin', ADMIN_PASSWORD);
    await Promise.all([
      page.waitForURL(/\/konsol\/admin\/instansi/),
      page.getByRole('link', { name: 'Instansi', exact: true }).click(),
    ]);
    t.equal(await page.locator('h1').textContent(), 'Instansi');
    await page.getByLabel('ID instansi').fill('dispar');
    await page.getByLabel('Nama instansi').fill('Dinas Pariwisata');
    await page.getByLabel('Kontak (e-mail atau telepon)').fill('dispar@paserkab.go.id');
    await page.getByLabel('Nama yang dimiliki').fill('wisata.paserkab.go.id\ndispar.paserkab.go.id');
    await Promise.all([
      page.waitForURL(/ok=saved/),
      page.getByRole('button', { name: 'Tambah instansi' }).click(),
    ]);
    t.match(
      await page.locator('[role=status]').textContent(),
      /Perubahan sudah berlaku/,
      'the page says it is live',
    );
    t.match(await page.locator('main').textContent(), /Dinas Pariwisata/);
    const agency = await gw.admin('GET', '/v1/agencies/dispar');
    t.same(
      (agency.body as { owns: string[] }).owns,
      ['dispar.paserkab.go.id', 'wisata.paserkab.go.id'],
      'the API has it at once',
    );

    await Promise.all([
      page.waitForURL(/\/konsol\/admin\/pengguna/),
      page.getByRole('link', { name: 'Pengguna', exact: true }).click(),
    ]);
    await page.getByLabel('Nama lengkap').fill('Siti Aminah');
    await page.getByLabel('Nama pengguna (login)').fill('siti');
    await page.getByLabel('Peran').selectOption('agency:dispar');
    await page.getByLabel('Kata sandi awal').fill(SITI_PASSWORD);
    await Promise.all([
      page.waitForURL(/ok=saved/),
      page.getByRole('button', { name: 'Tambah pengguna' }).click(),
    ]);
    t.match(await page.locator('main').textContent(), /siti/);
    const screenshot = join(tmpdir(), `gerbang-konsol-admin-users-${process.pid}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    t.comment(`screenshot: ${screenshot}`);
    await Promise.all([
      page.waitForURL(/\/konsol\/login/),
      page.getByRole('button', { name: 'Keluar' }).click(),
    ]);

    await signIn('siti', SITI_PASSWORD);
    t.equal(await page.locator('h1').textContent(), 'Layanan saya');
    t.match(
      await page.locator('main').textContent(),
      /Belum ada layanan yang terdaftar/,
      'an empty services list',
    );
    t.equal(
      await page.getByRole('link', { name: 'Instansi', exact: true }).count(),
      0,
      'no admin links for a member',
    );
    t.same(violations, [], 'no CSP violations');
  },
);
