import type { IncomingHttpHeaders } from 'node:http';
import t from 'tap';
import { attackSize, backToBaseline, trackConnections } from '../helpers/attack.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'laporan.paserkab.go.id';
const POOL = 8;
const SHARE = 3;
/** Slow requests one address sends at once: far more than its share, and than the whole pool. */
const FLOOD = attackSize(24, 500);

/** The slow page is not cacheable (a report): with the cache on, concurrent misses would be coalesced into one. */
const uncached = (origin: string) => ({
  routes: [{ path: '/', targets: [origin], cache: { enabled: false } }],
});

t.test(
  'one address flooding a slow page gets 429 beyond its share; another address is served at once',
  async (t) => {
    const held: Array<() => void> = [];
    let inProgress = 0;
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        inProgress++;
        res.once('close', () => inProgress--);
        // A report that takes as long as the test wants: the attacker's requests pile up on it.
        if (req.url === '/laporan-berat') held.push(() => res.end('laporan'));
        else res.end('halaman');
      },
      {
        gateway: { limits: { backendConnections: POOL, maxBackendRequestsPerClient: SHARE } },
        hostDoc: uncached,
      },
    );
    const upstream = trackConnections(backend.server);
    const release = () => {
      for (const end of held.splice(0)) end();
    };
    t.teardown(release);

    let answered = 0;
    const flood = Array.from({ length: FLOOD }, () =>
      http(`${gw.url}/laporan-berat`, {
        host: HOST,
        headers: { accept: 'application/json' },
        timeoutMs: 15_000,
      })
        .catch((err: Error) => ({
          status: 0,
          headers: {} as IncomingHttpHeaders,
          body: err.message,
          bytes: 0,
        }))
        .finally(() => answered++),
    );
    // The refused ones answer at once, the admitted ones wait at the backend; the other client is measured once
    // the refusals are all in (the flood's own CPU cost is not what this test is about).
    const deadline = Date.now() + 10_000;
    while ((held.length < SHARE || answered < FLOOD - SHARE) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    t.equal(held.length, SHARE, `only ${SHARE} of the address's ${FLOOD} requests reached the backend`);

    const started = performance.now();
    const other = await http(`${gw.url}/`, { host: HOST, localAddress: '127.0.0.2', timeoutMs: 5_000 }).catch(
      (err: Error) => ({ status: 0, body: err.message }),
    );
    const tookMs = performance.now() - started;
    t.equal(other.status, 200, 'another address is served while the flood is held');
    t.ok(tookMs < 1_500, `at once (${Math.round(tookMs)} ms)`);

    release();
    const answers = await Promise.all(flood);
    const ok = answers.filter((a) => a.status === 200).length;
    const refused = answers.filter((a) => a.status === 429);
    t.equal(ok, SHARE, `${SHARE} got their page`);
    t.equal(refused.length, FLOOD - SHARE, `the other ${FLOOD - SHARE} got 429`);
    t.match(
      JSON.parse(refused[0]?.body ?? '{}'),
      { error: { code: 'BACKEND_CLIENT_LIMIT' } },
      'with the stable code (the branded page for browsers)',
    );
    t.equal(refused[0]?.headers.connection, 'close', 'and the connection closed');
    t.ok(
      upstream.total() <= SHARE + 2,
      `the address never took more than its share of connections (${upstream.total()})`,
    );

    // Its slots are back: the same address is served again.
    t.equal((await http(`${gw.url}/`, { host: HOST })).status, 200, 'the address is served again afterwards');
    await backToBaseline(t, 'requests in progress at the backend', () => inProgress, 0, 0, 5_000);
  },
);

t.test('the branded 429 page is Indonesian first', async (t) => {
  const held: Array<() => void> = [];
  const { gw } = await proxiedHost(t, HOST, (_req, res) => held.push(() => res.end('x')), {
    gateway: { limits: { backendConnections: 4, maxBackendRequestsPerClient: 1 } },
    hostDoc: uncached,
  });
  t.teardown(() => {
    for (const end of held.splice(0)) end();
  });
  const first = http(`${gw.url}/`, { host: HOST });
  while (held.length < 1) await new Promise((r) => setTimeout(r, 20));
  const page = await http(`${gw.url}/`, { host: HOST, headers: { accept: 'text/html' } });
  t.equal(page.status, 429);
  t.match(page.body, /Terlalu banyak permintaan/, 'the Indonesian page');
  t.match(page.headers['content-type'], /text\/html/);
  for (const end of held.splice(0)) end();
  t.equal((await first).status, 200);
});
