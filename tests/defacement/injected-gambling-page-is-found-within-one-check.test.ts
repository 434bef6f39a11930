/** A backend serves a clean page, then one injected with gambling spam and a hidden link block: the next check finds it (metric, log line with URL and rule, GET /v1/defacement). */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { resolveDefacementConfig } from '../../src/config/defacement-config.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const FIXTURES = new URL('../fixtures/defacement/', import.meta.url);
const clean = readFileSync(new URL('clean/berita-bandar-udara.html', FIXTURES));
const injected = readFileSync(new URL('injected-gambling.html', FIXTURES));
const HOST = 'dishub.paserkab.go.id';
const INTERVAL_MS = 1_000;

t.test('the injected page is found at the first check after it appears', async (t) => {
  let page = clean;
  const logLines: Array<Record<string, unknown>> = [];
  const { gw, put } = await proxiedHost(
    t,
    HOST,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(page);
    },
    {
      gateway: {
        logLines,
        config: { defacement: resolveDefacementConfig({ sampleIntervalMs: INTERVAL_MS }) },
      },
    },
  );
  t.equal(put.status, 201);
  const get = async () => (await http(`${gw.url}/berita/1`, { host: HOST })).body;
  const scanned = () => metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: 'scanned' });
  const found = () => metricValue(gw.adminUrl, 'gerbang_defacement_findings_total', { host: HOST });

  t.equal(await get(), clean.toString(), 'the clean page passes unchanged');
  await waitFor('the clean page checked', async () => (await scanned()) === 1, 10_000, 20);
  t.equal(await found(), 0, 'the clean page gives no finding');

  page = injected;
  await sleep(INTERVAL_MS + 50);
  t.equal(await get(), injected.toString(), 'the response is not held back by the check');
  await waitFor('the injected page checked', async () => (await scanned()) === 2, 10_000, 20);
  t.ok((await found()) > 0, 'found at the very next check');
  for (const rule of ['gambling-spam-terms', 'gambling-title', 'hidden-link-block']) {
    t.equal(
      await metricValue(gw.adminUrl, 'gerbang_defacement_findings_total', { host: HOST, rule }),
      1,
      `counted under rule ${rule}`,
    );
  }
  const line = logLines.find(
    (l) => l.msg === 'page matches a defacement rule' && l.rule === 'hidden-link-block',
  );
  t.equal(line?.url, `${HOST}/berita/1`, 'the log line names the URL');
  t.equal(line?.host, HOST);
  t.equal(line?.level, 40, 'a warning');

  const listed = await waitFor(
    'the finding kept',
    async () => {
      const res = await gw.admin('GET', `/v1/defacement?host=${HOST}`);
      const hosts = (res.body as { hosts: Array<{ findings: Array<{ rule: string; url: string }> }> }).hosts;
      return (hosts[0]?.findings.length ?? 0) >= 3 ? hosts[0] : undefined;
    },
    10_000,
    20,
  );
  t.ok(listed.findings.some((f) => f.rule === 'hidden-link-block' && f.url === `${HOST}/berita/1`));
  const all = await gw.admin('GET', '/v1/defacement');
  t.equal(all.status, 200);
  t.equal((all.body as { hosts: Array<{ host: string }> }).hosts[0]?.host, HOST, 'the listing has the host');
});
