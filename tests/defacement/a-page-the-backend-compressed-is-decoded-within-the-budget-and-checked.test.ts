/** A defaced page the backend sends gzip-, brotli- or zstd-compressed is decoded on the checks' thread (its beginning, at most maxScanBytes) and found; a coding it cannot decode is skipped and counted. */
import { brotliCompressSync, gzipSync, zstdCompressSync } from 'node:zlib';
import t from 'tap';
import { resolveDefacementConfig } from '../../src/config/defacement-config.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

const HOST = 'dpmptsp.paserkab.go.id';
const MAX_SCAN = 64 * 1024;
// The spam first, then 4 MiB of filler: the compressed page is small, the decoded one far past the budget.
const PAGE = Buffer.from(
  `<html><head><title>Slot gacor maxwin</title></head><body>${'<p>Perizinan berusaha terintegrasi.</p>'.repeat(110_000)}</body></html>`,
);
const BODIES: Record<string, [string, Buffer]> = {
  '/gzip': ['gzip', gzipSync(PAGE)],
  '/br': ['br', brotliCompressSync(PAGE)],
  '/zstd': ['zstd', zstdCompressSync(PAGE)],
  '/twice': ['gzip, br', brotliCompressSync(gzipSync(PAGE))],
};

t.test('compressed pages are decoded, bounded, and checked', async (t) => {
  const { gw } = await proxiedHost(
    t,
    HOST,
    (req, res) => {
      const [coding, body] = BODIES[req.url ?? ''] ?? ['identity', Buffer.from('')];
      res.writeHead(200, {
        'content-type': 'text/html',
        'content-encoding': coding,
        'cache-control': 'max-age=600',
      });
      res.end(body);
    },
    { gateway: { config: { defacement: resolveDefacementConfig({ maxScanBytes: MAX_SCAN }) } } },
  );
  for (const path of Object.keys(BODIES)) {
    const res = await http(`${gw.url}${path}`, {
      host: HOST,
      headers: { 'accept-encoding': 'gzip, br, zstd' },
    });
    t.equal(res.status, 200, `${path} answered`);
  }
  const outcome = (o: string) => metricValue(gw.adminUrl, 'gerbang_defacement_scans_total', { outcome: o });
  await waitFor(
    'the three decodable pages checked',
    async () => (await outcome('scanned')) === 3,
    10_000,
    20,
  );
  t.equal(await outcome('skipped_encoded'), 1, 'two codings at once: skipped, counted');
  t.equal(
    await metricValue(gw.adminUrl, 'gerbang_defacement_findings_total', {
      host: HOST,
      rule: 'gambling-title',
    }),
    3,
    'found in the gzip, brotli and zstd pages',
  );
  t.equal(
    await metricValue(gw.adminUrl, 'gerbang_defacement_scanned_bytes_total'),
    3 * MAX_SCAN,
    `each decoded to the budget only (${MAX_SCAN} bytes of ${PAGE.length})`,
  );
});
