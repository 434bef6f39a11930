/** DKISP's own rules (`defacement.rules`: terms with minMatches, or a pattern) find what the built-in ones do not, under their own ids. */
import t from 'tap';
import { resolveDefacementConfig } from '../../src/config/defacement-config.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const HOST = 'diskominfo.paserkab.go.id';
const PAGES: Record<string, string> = {
  '/pinjol':
    '<html><title>Info</title><p>Pinjol ilegal cair cepat, tanpa BI checking, hubungi admin.</p></html>',
  '/hoki': '<html><title>Info</title><p>Kunjungi HOKI777 sekarang.</p></html>',
  '/one-term': '<html><title>Info</title><p>Waspada pinjol ilegal yang marak.</p></html>',
};

t.test('config rules count under their own ids; a page short of minMatches is clean', async (t) => {
  const defacement = resolveDefacementConfig({
    rules: [
      { id: 'pinjol-ilegal', terms: ['pinjol ilegal', 'tanpa bi checking', 'cair cepat'], minMatches: 2 },
      { id: 'hoki-angka', pattern: 'hoki\\d{3}' },
    ],
  });
  const { gw } = await proxiedHost(
    t,
    HOST,
    (req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' });
      res.end(PAGES[req.url ?? ''] ?? '<html></html>');
    },
    { gateway: { config: { defacement } } },
  );
  for (const path of Object.keys(PAGES))
    t.equal((await http(`${gw.url}${path}`, { host: HOST })).status, 200);
  await waitFor(
    'the three pages checked',
    async () =>
      (await metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: 'scanned' })) === 3,
    10_000,
    20,
  );
  const count = (rule: string) =>
    metricValue(gw.adminUrl, 'gerbang_defacement_findings_total', { host: HOST, rule });
  t.equal(
    await count('pinjol-ilegal'),
    1,
    'the terms rule: two of its terms on /pinjol, one only on /one-term',
  );
  t.equal(await count('hoki-angka'), 1, 'the pattern rule, over the lower-cased page');
  t.equal(await metricValue(gw.adminUrl, 'gerbang_defacement_findings_total'), 2, 'nothing else');
  const listed = await waitFor(
    'kept',
    async () => {
      const res = await gw.admin('GET', `/v1/defacement?host=${HOST}`);
      const findings = (res.body as { hosts: Array<{ findings: Array<{ rule: string; url: string }> }> })
        .hosts[0]?.findings;
      return findings?.length === 2 ? findings : undefined;
    },
    10_000,
    20,
  );
  t.same(listed.map((f) => `${f.rule} ${f.url}`).sort(), [
    `hoki-angka ${HOST}/hoki`,
    `pinjol-ilegal ${HOST}/pinjol`,
  ]);
});
