/** `defacement.skipCacheWhenFlagged`: a page found defaced is purged from the cache and not stored again while flagged; a host without it keeps caching. */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveDefacementConfig } from '../../src/config/defacement-config.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const injected = readFileSync(new URL('../fixtures/defacement/injected-hidden-links.html', import.meta.url));
const clean = readFileSync(
  new URL('../fixtures/defacement/clean/berita-festival-budaya.html', import.meta.url),
);
const GUARDED = 'dinkes.paserkab.go.id';
const PLAIN = 'disdik.paserkab.go.id';
const INTERVAL_MS = 1_000;

t.test(
  'the flagged page goes to the backend each time on the host that asked, until it is clean',
  async (t) => {
    let page = injected;
    const backend = await startBackend((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' });
      res.end(page);
    });
    const gw = await startTestGateway({
      config: { defacement: resolveDefacementConfig({ sampleIntervalMs: INTERVAL_MS }) },
    });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const routes = [{ path: '/', targets: [backend.origin] }];
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${GUARDED}`, { routes, defacement: { skipCacheWhenFlagged: true } }))
        .status,
      201,
    );
    t.equal((await gw.admin('PUT', `/v1/hosts/${PLAIN}`, { routes })).status, 201);
    // Each host asks for a path of its own: the backend's log tells them apart.
    const pathOf = (host: string) => `/${host.split('.')[0]}`;
    const hits = (host: string) => backend.seen.filter((s) => s.url === pathOf(host)).length;
    const get = (host: string) => http(`${gw.url}${pathOf(host)}`, { host });
    const found = (host: string) => metricValue(gw.adminUrl, 'gerbang_defacement_findings_total', { host });

    t.equal((await get(GUARDED)).status, 200);
    t.equal((await get(PLAIN)).status, 200);
    await waitFor(
      'both pages found',
      async () => (await found(GUARDED)) > 0 && (await found(PLAIN)) > 0,
      10_000,
      20,
    );

    for (let i = 0; i < 3; i++) {
      const guarded = await get(GUARDED);
      t.notOk(/hit/.test(String(guarded.headers['cache-status'])), `guarded request ${i + 1} is no hit`);
      t.match(String((await get(PLAIN)).headers['cache-status']), /hit/, `plain request ${i + 1} is a hit`);
    }
    t.equal(hits(GUARDED), 4, 'every request of the flagged page reached the backend');
    t.equal(hits(PLAIN), 1, 'the host that did not ask keeps the page cached');

    // Cleaned up: the next check (once per interval while flagged) finds it clean, and it is stored again.
    page = clean;
    await sleep(INTERVAL_MS + 50);
    const scanned = await metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: 'scanned' });
    await get(GUARDED);
    await waitFor(
      'the clean page checked',
      async () =>
        (await metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: 'scanned' })) > scanned,
      10_000,
      20,
    );
    await get(GUARDED);
    const before = hits(GUARDED);
    t.match(String((await get(GUARDED)).headers['cache-status']), /hit/, 'stored again once clean');
    t.equal(hits(GUARDED), before, 'served from the cache');
  },
);
