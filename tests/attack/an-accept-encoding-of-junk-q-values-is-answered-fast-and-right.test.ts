import t from 'tap';
import { decode, pageOf, rawFetch } from '../compression/kit.js';
import { attackSize } from '../helpers/attack.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'portal.paserkab.go.id';
const REQUESTS = attackSize(40, 2000);
const PAGE = pageOf(16 * 1024);

/** About 8 KiB of Accept-Encoding, built by `member` until it is that long. */
function junk(member: (i: number) => string): string {
  let out = '';
  for (let i = 0; out.length < 8 * 1024; i++) out += (i === 0 ? '' : ', ') + member(i);
  return out.slice(0, 8 * 1024);
}

t.test(
  '8 KiB Accept-Encoding headers of junk q-values are answered fast, with a coding the header allows',
  async (t) => {
    const { gw } = await proxiedHost(t, HOST, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
      res.end(PAGE);
    });
    const headers: [string, string | undefined][] = [
      // Unknown codings with q-values, br refused near the start, gzip far past what is read.
      [`br;q=0, ${junk((i) => `x-${i};q=0.${i % 10}`)}, gzip`, undefined],
      // q-values that are not numbers, repeated.
      [junk(() => 'gzip;q=;q=q=q=0.5e999'), 'gzip'],
      // One member of 8 KiB with no comma.
      [`zstd;${'q'.repeat(8 * 1024 - 5)}`, 'zstd'],
      // Nothing but separators.
      [','.repeat(8 * 1024), undefined],
      // Parameters galore on br.
      [`br${';a=b'.repeat(2000)}`.slice(0, 8 * 1024), 'br'],
    ];
    const plainMs: number[] = [];
    const junkMs: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const [header, expected] = headers[i % headers.length] as [string, string | undefined];
      let started = performance.now();
      const res = await rawFetch(`${gw.url}/`, { 'accept-encoding': header });
      junkMs.push(performance.now() - started);
      t.equal(res.status, 200);
      if (i < headers.length) {
        t.equal(res.headers['content-encoding'], expected, `header ${i}: ${expected ?? 'identity'}`);
        t.ok(decode(res).equals(PAGE), `header ${i}: the page`);
      }
      started = performance.now();
      await rawFetch(`${gw.url}/`, { 'accept-encoding': 'br' });
      plainMs.push(performance.now() - started);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const j = median(junkMs);
    const p = median(plainMs);
    t.ok(j < p * 3 + 5, `median with junk ${j.toFixed(1)} ms, with a plain header ${p.toFixed(1)} ms`);
  },
);
