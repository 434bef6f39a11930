import { Agent, request } from 'node:http';
import t from 'tap';
import { attackSize, backToBaseline, medianLatencyMs, openFds, rssMiB } from '../helpers/attack.js';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { liveHeapMiB } from '../rate-limit/kit.js';

const HOST = 'pengaduan.paserkab.go.id';
const FLOODER = '127.0.0.2';
const RATE = 50;
const BURST = 20;
const TOTAL = attackSize(3_000, 50_000);
const CLIENTS = attackSize(8, 32);

function getFrom(agent: Agent, port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/lapor', agent, headers: { host: HOST } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end();
  });
}

t.test(
  'a flood from one address is refused with 429 while another address on the host passes at its usual speed',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: `${RATE}/s`, burst: BURST } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    // Warmed first (code paths compiled), then measured alone; 127.0.0.1 sends far below its own limit.
    await medianLatencyMs(gw.url, HOST, '/', 5);
    const baselineMs = await medianLatencyMs(gw.url, HOST);
    const fdsBefore = openFds();
    const rssBefore = rssMiB();
    const heapBefore = liveHeapMiB();
    const seenBefore = backend.seen.length;

    const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS, localAddress: FLOODER });
    const statuses = new Map<number, number>();
    let sent = 0;
    const deadline = Date.now() + attackSize(8_000, 60_000);
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (sent < TOTAL && Date.now() < deadline) {
        sent++;
        const status = await getFrom(agent, port);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const flood = Promise.all(Array.from({ length: CLIENTS }, worker));
    const duringMs = await medianLatencyMs(gw.url, HOST);
    await flood;
    const floodMs = performance.now() - started;
    agent.destroy();

    const passed = statuses.get(200) ?? 0;
    const allowed = BURST + (RATE * floodMs) / 1000;
    t.comment(
      `${sent} requests from one address in ${Math.round(floodMs)} ms: ${JSON.stringify([...statuses])}; ` +
        `other address median ${baselineMs.toFixed(1)} ms alone, ${duringMs.toFixed(1)} ms during; rss ${rssBefore.toFixed(0)} → ${rssMiB().toFixed(0)} MiB`,
    );
    t.same([...statuses.keys()].sort(), [200, 429], 'answered 200 or 429, nothing else');
    // Loose on purpose: any flood costs a shared 2-core machine some CPU; a limiter that queued or refused would cost far more.
    t.ok(
      duringMs <= baselineMs * 3 + 50,
      `the other address stays fast during the flood (${duringMs.toFixed(1)} ms)`,
    );
    t.ok(
      passed <= allowed + 1,
      `the flooder got its rate and burst only (${passed} ≤ ${allowed.toFixed(1)})`,
    );
    t.equal(
      backend.seen.length - seenBefore,
      passed + 15,
      "the backend saw the flooder's share and every request of the other address",
    );
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 10);
    // One key for the flooder: nothing of the flood stays once its requests are answered.
    await backToBaseline(t, 'live heap (MiB)', liveHeapMiB, heapBefore, 8);
    await backToBaseline(
      t,
      "the other address's median latency (ms)",
      () => medianLatencyMs(gw.url, HOST, '/', 7),
      baselineMs,
      15,
    );
  },
);
