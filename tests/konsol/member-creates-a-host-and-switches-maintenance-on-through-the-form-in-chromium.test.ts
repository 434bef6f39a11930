import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';
import { openBrowserSession } from './browser-session.js';
import { MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'in Chromium: a member creates a host routed through the public listener, then switches maintenance on',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const { memberId } = await seedUsers(gw);
    const { page, violations, signIn } = await openBrowserSession(t, gw.adminUrl, {
      profilePrefix: 'gerbang-konsol-host-form-',
      hasTouch: true,
    });

    await signIn('budi', MEMBER_PASSWORD);
    await Promise.all([
      page.waitForURL(/\/konsol\/hosts\/new/),
      page.getByRole('link', { name: 'Tambah layanan' }).click(),
    ]);
    t.ok(
      await page.evaluate('document.documentElement.scrollWidth <= 390'),
      'the form fits 390 px without sideways scrolling',
    );
    await page.getByLabel('Nama host').fill(HOST);
    await page.getByLabel('Rute (path').fill(`- path: /\n  targets:\n    - ${backend.origin}\n`);
    await page.getByLabel('Nama layanan').fill('Portal Dinas Kesehatan');
    await page.getByLabel('Perkiraan selesai').fill('besok');
    // The refusal is a new page (a form post answered 400): wait for it, then for autofocus to have applied.
    await Promise.all([
      page.waitForResponse((res) => res.request().method() === 'POST' && res.status() === 400),
      page.getByRole('button', { name: 'Daftarkan' }).click(),
    ]);
    await page.locator('#e-maintenance-until').waitFor();
    const focused = await page
      .waitForFunction(
        "document.activeElement && document.activeElement.id === 'f-maintenance-until'",
        null,
        {
          timeout: 5_000,
        },
      )
      .then(() => 'f-maintenance-until')
      .catch(() => page.evaluate('document.activeElement && document.activeElement.id'));
    t.equal(focused, 'f-maintenance-until', 'a refused form: the focus is on the field the API named');
    t.match(
      await page.locator('#e-maintenance-until').textContent(),
      /\/maintenance\/until/,
      'the error is shown beside it',
    );
    t.equal(
      await page.getByLabel('Nama layanan').inputValue(),
      'Portal Dinas Kesehatan',
      'typed values kept',
    );
    await page.getByLabel('Perkiraan selesai').fill('');
    await Promise.all([
      page.waitForURL(/\/konsol\/hosts\/dinkes\.paserkab\.go\.id\?saved=1/),
      page.getByRole('button', { name: 'Daftarkan' }).click(),
    ]);
    t.equal(await page.locator('[role=status]').textContent(), 'Tersimpan. Perubahan sudah berlaku.');

    const audit = await gw.admin('GET', `/v1/audit?host=${HOST}`);
    t.match(
      (audit.body as { entries: unknown[] }).entries,
      [{ action: 'host.put', tokenId: `user:${memberId}` }],
      "audited as the API's write, under the member's name",
    );
    const routed = await http(`${gw.url}/hello`, { headers: { host: HOST } });
    t.equal(routed.status, 200, 'live through the public listener at once');
    t.match(JSON.parse(routed.body), { backend: 'backend', url: '/hello' }, "the backend's answer");

    await Promise.all([page.waitForURL(/\/edit/), page.getByRole('link', { name: 'Ubah' }).click()]);
    await page.getByLabel('Mode pemeliharaan aktif').check();
    await page.getByLabel('Pesan di halaman pemeliharaan').fill('Sedang ada pembaruan sistem rekam medis.');
    await Promise.all([page.waitForURL(/\?saved=1/), page.getByRole('button', { name: 'Simpan' }).click()]);
    t.equal(await page.locator('[role=status]').textContent(), 'Tersimpan. Perubahan sudah berlaku.');
    t.equal(await page.locator('[data-status]').getAttribute('data-status'), 'maintenance');
    const screenshot = join(tmpdir(), `gerbang-konsol-host-form-${process.pid}.png`);
    await page.goto(`${gw.adminUrl}/konsol/hosts/${HOST}/edit`);
    await page.screenshot({ path: screenshot, fullPage: true });
    t.comment(`screenshot: ${screenshot}`);

    const seen = backend.seen.length;
    const down = await waitFor(
      'the maintenance page',
      async () => {
        const res = await http(`${gw.url}/hello`, { headers: { host: HOST } });
        return res.status === 503 ? res : undefined;
      },
      3_000,
    );
    t.equal(down.status, 503, 'the maintenance page through the public listener');
    t.match(down.body, /Sedang ada pembaruan sistem rekam medis\./, 'with the message typed');
    t.equal(backend.seen.length, seen, 'the backend is not reached');
    t.same(violations, [], 'no CSP violation');
  },
);
