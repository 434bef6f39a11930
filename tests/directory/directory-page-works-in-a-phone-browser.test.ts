import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { chromiumLaunchOptions } from '../helpers/chromium.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

t.test(
  'the directory page renders on a phone-sized headless chromium, filters, and loads nothing from elsewhere',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    const profile = await mkdtemp(join(tmpdir(), 'gerbang-chromium-'));
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
      await rm(profile, { recursive: true, force: true });
    });
    const agencies: Array<[string, string, Array<[string, string, string]>]> = [
      [
        'dinkes',
        'Dinas Kesehatan',
        [
          ['dinkes', 'Portal Dinas Kesehatan', 'Kesehatan'],
          ['simpus.dinkes', 'SIMPUS Puskesmas', 'Kesehatan'],
        ],
      ],
      [
        'disdik',
        'Dinas Pendidikan',
        [
          ['disdik', 'Portal Dinas Pendidikan', 'Pendidikan'],
          ['ppdb.disdik', 'PPDB Online', 'Pendidikan'],
        ],
      ],
      [
        'dukcapil',
        'Dinas Kependudukan dan Pencatatan Sipil',
        [['dukcapil', 'Layanan Adminduk', 'Kependudukan']],
      ],
    ];
    for (const [id, name, services] of agencies) {
      await gw.admin('PUT', `/v1/agencies/${id}`, {
        name,
        contact: `${id}@paserkab.go.id`,
        owns: [`${id}.paserkab.go.id`],
      });
      for (const [label, app, category] of services) {
        const res = await gw.admin('PUT', `/v1/hosts/${label}.paserkab.go.id`, {
          ...simpleHost(backend.origin),
          agency: id,
          app: {
            name: app,
            description: `Layanan ${app} untuk warga Kabupaten Paser.`,
            category,
            contact: `${id}@paserkab.go.id`,
          },
        });
        t.equal(res.status, 201);
      }
    }

    const port = gw.gateway.ports.http;
    const context = await chromium.launchPersistentContext(profile, {
      ...chromiumLaunchOptions(['--host-resolver-rules=MAP *.paserkab.go.id 127.0.0.1']),
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'id-ID',
    });
    t.teardown(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    const elsewhere: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith(`http://layanan.paserkab.go.id:${port}/`)) elsewhere.push(req.url());
    });
    const response = await page.goto(`http://layanan.paserkab.go.id:${port}/`);
    t.equal(response?.status(), 200);
    t.equal(await page.locator('h1').textContent(), 'Layanan Digital');
    t.equal(await page.locator('section h2').count(), 3, 'one section per agency');
    t.equal(await page.locator('li').count(), 5, 'one card per service');
    t.match(await page.locator('header').textContent(), /5 dari 5 layanan aktif/);
    // A string, so this Node-typed file needs no DOM types: it runs in the page.
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - window.innerWidth',
    )) as number;
    t.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);

    const screenshot = join(tmpdir(), `gerbang-directory-${process.pid}.png`);
    await page.screenshot({ path: screenshot, fullPage: true });
    t.comment(`screenshot: ${screenshot}`);

    await page.fill('#q', 'ppdb');
    t.equal(await page.locator('li:visible').count(), 1, 'typing filters the list');
    t.equal(await page.locator('section:visible').count(), 1, 'and hides empty agencies');
    t.same(elsewhere, [], 'nothing is loaded from another origin');
  },
);
