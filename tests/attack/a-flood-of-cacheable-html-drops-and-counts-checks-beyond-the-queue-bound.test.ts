/** A flood of distinct cacheable HTML pages (each a cache fill, each offered for a check) fills the defacement queue: the rest is dropped and counted, every page is answered, and another host stays fast. */
import t from 'tap';
import { resolveDefacementConfig } from '../../src/config/defacement-config.js';
import { attackSize, backToBaseline, medianLatencyMs, openFds } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const FLOODED = 'berita.paserkab.go.id';
const QUIET = 'layanan.paserkab.go.id';
// Long pages, so that a check takes a while and the queue really fills.
const PAGE = Buffer.from(
  `<html><head><title>Berita</title></head><body>${'<p>Pemerintah Kabupaten Paser menggelar rapat koordinasi layanan publik. <a href="/berita">Berita lain</a></p>'.repeat(1200)}</body></html>`,
);
const PAGES = attackSize(80, 2000);
const PARALLEL = 16;
const QUEUE = 4;
/**
 * A rule that never matches (the page has no `~`) and costs ~150 ms a page: every `<a ` scans to the end. Without
 * it the check thread, on the other core, kept up with the gateway on a slow CI machine and dropped nothing; with
 * it a check takes several times what serving a page does, on any machine, so the queue must fill.
 */
const SLOW_RULE = { id: 'slow-never-matching', pattern: '<a [^~]*~' };

t.test('checks beyond the queue bound are dropped and counted; nothing waits', async (t) => {
  const backend = await startBackend((req, res) => {
    const quiet = req.url === '/quiet';
    res.writeHead(200, { 'content-type': 'text/html', 'cache-control': quiet ? 'no-store' : 'max-age=600' });
    res.end(quiet ? '<p>ok</p>' : PAGE);
  });
  const gw = await startTestGateway({
    config: {
      defacement: resolveDefacementConfig({
        queueSize: QUEUE,
        maxScanBytes: 1024 * 1024,
        rules: [SLOW_RULE],
      }),
    },
  });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const routes = [{ path: '/', targets: [backend.origin] }];
  for (const host of [FLOODED, QUIET])
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, { routes })).status, 201);
  const baselineMs = await medianLatencyMs(gw.url, QUIET, '/quiet');
  const fds = openFds();

  let next = 0;
  let answered = 0;
  const client = async (): Promise<void> => {
    while (next < PAGES) {
      const i = next++;
      const res = await http(`${gw.url}/berita?id=${i}`, {
        host: FLOODED,
        discardBody: true,
        timeoutMs: 20_000,
      });
      if (res.status === 200 && res.bytes === PAGE.length) answered++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: PARALLEL }, client));
  t.comment(
    `${PAGES} pages of ${Math.round(PAGE.length / 1024)} KiB in ${Math.round(performance.now() - started)} ms`,
  );
  t.equal(answered, PAGES, 'every page answered whole');

  const outcome = (o: string) => metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: o });
  const [scanned, dropped] = await waitFor(
    'every offered page checked or dropped',
    async () => {
      const s = await outcome('scanned');
      const d = await outcome('dropped');
      return s + d === PAGES ? [s, d] : undefined;
    },
    20_000,
    50,
  );
  t.comment(`scanned ${scanned}, dropped ${dropped}`);
  t.ok(dropped > 0, `the queue bound of ${QUEUE} dropped checks (${dropped})`);
  t.ok(scanned >= QUEUE, `and checked some (${scanned})`);
  t.equal(
    await metricValue(gw.adminUrl, 'gerbang_defacement_findings_total'),
    0,
    'the clean page is not flagged',
  );
  await backToBaseline(
    t,
    'another host’s median latency (ms)',
    () => medianLatencyMs(gw.url, QUIET, '/quiet'),
    baselineMs,
    20,
  );
  await backToBaseline(t, 'open file descriptors', openFds, fds, 8);
});
