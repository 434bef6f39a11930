import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { attackSize, medianLatencyMs } from '../helpers/attack.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const DIRECTORY = 'layanan.paserkab.go.id';
/** A page of 100 cards stays far below this; the whole list at 2,000 hosts is ~400 KB, at 9,400 ~1.7 MB. */
const PAGE_BYTES_LIMIT = 96 * 1024;

t.test(
  'a flood of directory requests with many hosts registered leaves another host fast, and every directory page is bounded',
  async (t) => {
    const hostCount = attackSize(2_000, 9_400);
    const clients = attackSize(16, 64);
    const rounds = attackSize(2, 3);
    const floodRequests = attackSize(3_000, 20_000);
    const floodMs = attackSize(4_000, 20_000);

    const portals = await startBackend(echoHandler('portal'));
    // The other host: a small page for the latency probe, and a cacheable page as big as a directory page,
    // which Gerbang answers from its cache: the control flood, what any flood of such pages costs here.
    const echo = echoHandler('other');
    const big = 'x'.repeat(36 * 1024);
    const other = await startBackend((req, res) => {
      if (req.url !== '/besar') return echo(req, res);
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, max-age=600' });
      res.end(big);
    });
    const hosts = Array.from({ length: hostCount }, (_, i) => ({
      host: `layanan${i}.paserkab.go.id`,
      agency: `skpd${i % 40}`,
      app: {
        name: `Layanan Daerah Nomor ${i}`,
        description: `Layanan nomor ${i} untuk warga Kabupaten Paser, dengan keterangan yang cukup panjang.`,
        category: 'Umum',
        owner: 'Bidang Pelayanan',
        contact: '0543-21000',
      },
      routes: [{ path: '/', targets: [portals.origin] }],
    }));
    hosts.push({
      ...hosts[0],
      host: 'lain.paserkab.go.id',
      routes: [{ path: '/', targets: [other.origin] }],
    } as (typeof hosts)[number]);
    const gw = await startTestGateway({ config: { hosts } });
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([portals.stop(), other.stop()]);
    });

    // Bounded pages, every service still reachable through them.
    const first = await http(`${gw.url}/`, { host: DIRECTORY });
    t.equal(first.status, 200);
    t.ok(first.bytes < PAGE_BYTES_LIMIT, `the first page is bounded: ${first.bytes} bytes`);
    const json = await http(`${gw.url}/layanan.json`, { host: DIRECTORY });
    t.ok(json.bytes < PAGE_BYTES_LIMIT, `layanan.json's first page is bounded: ${json.bytes} bytes`);
    const data = JSON.parse(json.body) as { total: number; pages: number; pageSize: number; next?: string };
    t.equal(data.total, hostCount + 1, 'the totals count every service');
    t.equal(data.pages, Math.ceil((hostCount + 1) / data.pageSize), 'pages cover every service');
    const last = await http(`${gw.url}/layanan.json?page=${data.pages}`, { host: DIRECTORY });
    t.equal(last.status, 200);
    const lastPage = JSON.parse(last.body) as { agencies: Array<{ services: unknown[] }> };
    t.equal(
      lastPage.agencies.reduce((n, a) => n + a.services.length, 0),
      hostCount + 1 - (data.pages - 1) * data.pageSize,
      'the last page holds the rest',
    );
    t.equal((await http(`${gw.url}/?page=${data.pages + 1}`, { host: DIRECTORY })).status, 404);
    t.equal((await http(`${gw.url}/?page=0`, { host: DIRECTORY })).status, 400, 'a bad page number is a 400');
    t.equal(
      (await http(`${gw.url}/?q=${'x'.repeat(500)}`, { host: DIRECTORY })).status,
      400,
      'so is a huge search',
    );
    t.equal(
      (await http(`${gw.url}/?utm_source=wa&fbclid=x`, { host: DIRECTORY })).status,
      200,
      'a shared link with tracking parameters still opens',
    );
    const agency = await http(`${gw.url}/?instansi=skpd7`, { host: DIRECTORY });
    t.ok(agency.bytes < PAGE_BYTES_LIMIT, `one agency's page is bounded: ${agency.bytes} bytes`);
    const search = await http(`${gw.url}/layanan.json?q=${encodeURIComponent('nomor 1234')}`, {
      host: DIRECTORY,
    });
    t.match(
      JSON.parse(search.body),
      { matched: hostCount > 1234 ? 1 : 0 },
      'search looks through every page',
    );

    const baseline = await medianLatencyMs(gw.url, 'lain.paserkab.go.id');

    /** `clients` clients asking `host` for `pathOf(n)`, bounded in count and time; the other host's median meanwhile. */
    const flood = async (host: string, pathOf: (n: number, c: number) => string, expect: number) => {
      let sent = 0;
      let unexpected = 0;
      const started = Date.now();
      const until = started + floodMs;
      // The flood lasts as long as the probe does (bounded in count and time), so every probe meets it.
      let probing = true;
      const running = Array.from({ length: clients }, async (_, c) => {
        while (probing && sent < floodRequests && Date.now() < until) {
          const n = sent++;
          try {
            const res = await http(`${gw.url}${pathOf(n, c)}`, {
              host,
              discardBody: true,
              timeoutMs: 20_000,
            });
            if (res.status !== expect) unexpected++;
          } catch {
            unexpected++;
          }
        }
      });
      await sleep(200); // under way
      const median = await medianLatencyMs(gw.url, 'lain.paserkab.go.id');
      probing = false;
      await Promise.all(running);
      return { median, sent, unexpected, ms: Date.now() - started };
    };
    t.equal((await http(`${gw.url}/besar`, { host: 'lain.paserkab.go.id' })).bytes, big.length);
    // The directory flood: pages, JSON, the last page, one agency, and fresh searches that no cache can hold.
    const paths = ['/', '/layanan.json', `/?page=${data.pages}`, '/?instansi=skpd3', '/layanan.json?page=2'];
    const controls: Array<Awaited<ReturnType<typeof flood>>> = [];
    const attacks: Array<Awaited<ReturnType<typeof flood>>> = [];
    // Alternating rounds, so a burst of load from elsewhere on the machine weighs on both sides alike.
    for (let round = 0; round < rounds; round++) {
      controls.push(await flood('lain.paserkab.go.id', () => '/besar', 200));
      attacks.push(
        await flood(
          DIRECTORY,
          (n, c) => (n % 7 === 6 ? `/?q=${c}-${n}` : (paths[n % paths.length] as string)),
          200,
        ),
      );
    }
    const mid = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const control = mid(controls.map((c) => c.median));
    const attack = mid(attacks.map((a) => a.median));
    const rate = (runs: typeof attacks) =>
      runs.reduce((n, r) => n + r.sent, 0) / runs.reduce((n, r) => n + r.ms, 0);
    t.comment(
      `${hostCount} hosts, ${clients} clients, ${rounds} rounds: other host median ${baseline.toFixed(1)} ms alone, ` +
        `${controls.map((c) => c.median.toFixed(1))} ms under cached 36 KB pages (${(1000 * rate(controls)).toFixed(0)} req/s), ` +
        `${attacks.map((a) => a.median.toFixed(1))} ms under directory pages (${(1000 * rate(attacks)).toFixed(0)} req/s)`,
    );
    t.equal(
      attacks.reduce((n, a) => n + a.unexpected, 0),
      0,
      'every directory request was answered 200',
    );
    // Against a flood of cached pages of the same size (measured alongside, so the machine's own load cancels
    // out), not against the idle baseline: any flood of 16 clients slows a 2-core machine that much.
    t.ok(
      attack <= 2.5 * control + 10,
      `another host fares under a directory flood about as under a flood of cached pages of that size (${control.toFixed(1)} → ${attack.toFixed(1)} ms; ${baseline.toFixed(1)} ms alone)`,
    );
    t.ok(
      rate(attacks) >= 0.5 * rate(controls),
      `a directory page costs about what a cached page of that size costs (${(1000 * rate(attacks)).toFixed(0)} vs ${(1000 * rate(controls)).toFixed(0)} req/s)`,
    );
  },
);
