import { request } from 'node:https';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { openBrowserSession } from './browser-session.js';
import { MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const HOST = 'simpus.dinkes.paserkab.go.id';

/** GET / over the public HTTPS listener for HOST (the fallback certificate: not what is checked here). */
function httpsGet(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        servername: HOST,
        headers: { host: HOST },
        rejectUnauthorized: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

t.test(
  'in Chromium: a member probes a legacy portal, creates the host from the proposal, and it is routed',
  async (t) => {
    const legacy = await startBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', server: 'Apache/2.2.15 (CentOS)' });
      res.end('<!doctype html><title>SIMPUS Kabupaten Paser</title><p>portal lama</p>');
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await legacy.stop();
    });
    await seedUsers(gw);

    const { page, violations, signIn } = await openBrowserSession(t, gw.adminUrl, {
      profilePrefix: 'gerbang-konsol-onboard-',
      hasTouch: true,
    });

    await signIn('budi', MEMBER_PASSWORD);
    await Promise.all([
      page.waitForURL(/\/konsol\/onboard/),
      page.getByRole('link', { name: 'Daftarkan portal lama' }).click(),
    ]);

    await page.getByLabel('Alamat portal sekarang').fill(`${legacy.origin}/`);
    await page.getByLabel('Nama host di Gerbang (opsional)').fill(HOST);
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: 'Periksa' }).press('Enter'),
    ]);
    await page.getByRole('heading', { name: 'Hasil pemeriksaan' }).waitFor();
    const facts = (await page.locator('[data-probe]').textContent()) ?? '';
    t.match(facts, /Dapat dijangkau\s*ya/, 'reachable');
    t.match(facts, /Kode status\s*200/);
    t.match(facts, 'SIMPUS Kabupaten Paser', 'the page title');
    t.match(facts, 'server: Apache/2.2.15 (CentOS)', 'the version banner');
    t.equal(await page.locator('[data-proposed-host]').textContent(), HOST);
    const width = await page.evaluate('document.documentElement.scrollWidth');
    t.ok(Number(width) <= 390, `no sideways scrolling at 390 px (${width})`);

    await Promise.all([
      page.waitForURL(new RegExp(`/konsol/hosts/${HOST.replace(/\./g, '\\.')}\\?saved=1`)),
      page.getByRole('button', { name: 'Buat layanan dari usulan ini' }).click(),
    ]);
    const stored = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as {
      agency: string;
      routes: Array<{ targets: string[] }>;
      app: { name: string };
    };
    t.equal(stored.agency, 'dinkes', 'the member’s own agency');
    t.same(stored.routes[0]?.targets, [legacy.origin]);
    t.equal(stored.app.name, 'SIMPUS Kabupaten Paser');

    const plain = await http(`${gw.url}/`, { host: HOST });
    t.match(String(plain.status), /^30[178]$/, 'the proposal forces HTTPS');
    const routed = await httpsGet(gw.gateway.ports.https);
    t.equal(routed.status, 200);
    t.match(routed.body, 'portal lama', 'the public listener routes the new host to the legacy portal');
    t.same(violations, [], 'no CSP violation');
  },
);
