/** Ordinary Indonesian government pages (news, announcements, tenders, "bandar udara", "slot waktu layanan"), stored by the cache and so each checked, give no finding. */
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const CORPUS = new URL('../fixtures/defacement/clean/', import.meta.url);
const pages = new Map(
  readdirSync(CORPUS)
    .filter((name) => name.endsWith('.html'))
    .map((name) => [`/${name}`, readFileSync(new URL(name, CORPUS))]),
);
const HOST = 'portal.paserkab.go.id';

t.test('every page of the clean corpus is checked and none is flagged', async (t) => {
  t.ok(pages.size >= 10, 'a corpus of ten pages or more');
  const logLines: Array<Record<string, unknown>> = [];
  const { gw, put } = await proxiedHost(
    t,
    HOST,
    (req, res) => {
      const page = pages.get(req.url ?? '');
      res.writeHead(page ? 200 : 404, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'max-age=600',
      });
      res.end(page ?? 'not here');
    },
    { gateway: { logLines } },
  );
  t.equal(put.status, 201);
  for (const path of pages.keys()) {
    const res = await http(`${gw.url}${path}`, { host: HOST });
    t.equal(res.status, 200, `${path} served`);
  }
  await waitFor(
    'every page checked',
    async () =>
      (await metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: 'scanned' })) ===
      pages.size,
    10_000,
    20,
  );
  t.equal(await metricValue(gw.adminUrl, 'gerbang_defacement_findings_total'), 0, 'no finding');
  t.same(
    logLines.filter((l) => l.msg === 'page matches a defacement rule').map((l) => `${l.url} ${l.rule}`),
    [],
    'no warning logged',
  );
  const listed = await gw.admin('GET', '/v1/defacement');
  t.same(listed.body, { hosts: [] }, 'nothing listed');
});
