import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { chromiumLaunchOptions } from '../helpers/chromium.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

const WIDTH = 390;
/** Not committed (.tap/ is ignored): looked at by a person after a change of the pages' CSS. */
const SHOTS = join(process.cwd(), '.tap', 'screenshots');

interface Box {
  left: number;
  right: number;
}

t.test(
  'on a 390 px phone every branded page and the directory keep their cards inside side margins',
  async (t) => {
    const up = await startBackend();
    const down = await startBackend();
    const downOrigin = down.origin;
    await down.stop();
    const gw = await startTestGateway();
    const profile = await mkdtemp(join(tmpdir(), 'gerbang-chromium-'));
    await mkdir(SHOTS, { recursive: true });
    t.teardown(async () => {
      await gw.stop();
      await up.stop();
      await rm(profile, { recursive: true, force: true });
    });
    // Long unbroken texts are what pushed cards past the screen's edge.
    const app = {
      name: 'Sistem Informasi Manajemen Puskesmas Terpadu Kabupaten Paser',
      owner: 'Dinas Kesehatan',
      // No hyphen to break at: only overflow-wrap keeps it inside the card.
      contact: 'pengaduansisteminformasimanajemenpuskesmas@dinkes.paserkab.go.id',
    };
    await gw.admin('PUT', '/v1/hosts/sistem-informasi-manajemen-puskesmas.paserkab.go.id', {
      ...simpleHost(up.origin),
      app,
    });
    await gw.admin('PUT', '/v1/hosts/simpus.paserkab.go.id', { ...simpleHost(downOrigin), app });
    await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', {
      ...simpleHost(up.origin),
      app,
      maintenance: { enabled: true, message: 'Pemindahan server', until: '2099-12-02T00:00:00Z' },
    });

    const port = gw.gateway.ports.http;
    const context = await chromium.launchPersistentContext(profile, {
      ...chromiumLaunchOptions(['--host-resolver-rules=MAP *.paserkab.go.id 127.0.0.1']),
      viewport: { width: WIDTH, height: 844 },
      deviceScaleFactor: 1,
      isMobile: true,
      hasTouch: true,
      locale: 'id-ID',
    });
    t.teardown(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());

    const pages: Array<[string, string, number, string]> = [
      ['unknown-host-404', 'tidakada.paserkab.go.id', 404, 'main'],
      ['backend-down-502', 'simpus.paserkab.go.id', 502, 'main'],
      ['maintenance-503', 'lama.paserkab.go.id', 503, 'main'],
      ['directory', 'layanan.paserkab.go.id', 200, 'li'],
    ];
    for (const [name, host, status, card] of pages) {
      const response = await page.goto(`http://${host}:${port}/`);
      t.equal(response?.status(), status, `${name}: ${status}`);
      // Strings, so this Node-typed file needs no DOM types: they run in the page.
      const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      t.ok(scrollWidth <= WIDTH, `${name}: nothing overflows horizontally (scrollWidth ${scrollWidth})`);
      const boxes = (await page.evaluate(
        `[...document.querySelectorAll(${JSON.stringify(card)})].map((e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: ${WIDTH} - r.right }; })`,
      )) as Box[];
      t.ok(boxes.length > 0, `${name}: a card is shown`);
      for (const box of boxes) {
        t.ok(box.left > 0 && box.right > 0, `${name}: card margins left ${box.left}px, right ${box.right}px`);
      }
      const shot = join(SHOTS, `390px-${name}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      t.comment(`screenshot: ${shot}`);
    }
  },
);
