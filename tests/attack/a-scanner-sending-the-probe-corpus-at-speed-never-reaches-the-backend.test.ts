import { Agent, request } from 'node:http';
import t from 'tap';
import {
  attackSize,
  backToBaseline,
  medianLatencyMs,
  openFds,
  rssMiB,
  trackConnections,
} from '../helpers/attack.js';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { PROBES } from '../policy/fixtures/probe-corpus.js';

const SCANNED = 'lama.paserkab.go.id';
const OTHER = 'dinkes.paserkab.go.id';

/** One GET of a raw target on a kept-alive connection of `agent`; resolves with the status, never rejects. */
function probe(port: number, agent: Agent, target: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: target, headers: { host: SCANNED }, agent, timeout: 10_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

t.test(
  'a scanner sending the probe corpus at speed to a blocking host never reaches its backend; fds and another host recover',
  async (t) => {
    const total = attackSize(2_000, 100_000);
    const clients = attackSize(16, 64);
    const maxMs = attackSize(4_000, 60_000);

    const scanned = await startBackend(echoHandler('lama'));
    const other = await startBackend(echoHandler('dinkes'));
    const scannedConnections = trackConnections(scanned.server);
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([scanned.stop(), other.stop()]);
    });
    const put = await gw.admin('PUT', `/v1/hosts/${SCANNED}`, {
      routes: [{ path: '/', targets: [scanned.origin] }],
      probeFilter: { mode: 'block' },
    });
    t.equal(put.status, 201);
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${OTHER}`, { routes: [{ path: '/', targets: [other.origin] }] }))
        .status,
      201,
    );

    // Warmed first: the first requests of a fresh gateway pay for compiling its code paths.
    await medianLatencyMs(gw.url, OTHER, '/', 5);
    const baselineMs = await medianLatencyMs(gw.url, OTHER);
    const fdsBefore = openFds();
    const rssBefore = rssMiB();

    const port = gw.gateway.ports.http;
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    const targets = PROBES.map((p) => p.target);
    let sent = 0;
    const statuses = new Map<number, number>();
    const deadline = Date.now() + maxMs;
    const started = performance.now();
    const worker = async (): Promise<void> => {
      while (sent < total && Date.now() < deadline) {
        const target = targets[sent++ % targets.length] as string;
        const status = await probe(port, agent, target);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const during = medianLatencyMs(gw.url, OTHER);
    await Promise.all(Array.from({ length: clients }, worker));
    const floodMs = performance.now() - started;
    const duringMs = await during;
    agent.destroy();

    t.comment(
      `${sent} probes in ${Math.round(floodMs)} ms (${Math.round((sent / floodMs) * 1000)}/s); statuses ${JSON.stringify([...statuses])}; ` +
        `other host median ${baselineMs.toFixed(1)} ms before, ${duringMs.toFixed(1)} ms during; rss ${rssBefore.toFixed(0)} → ${rssMiB().toFixed(0)} MiB`,
    );
    t.ok(sent >= Math.min(total, 1_000), `the scanner sent its corpus (${sent})`);
    t.equal(scanned.seen.length, 0, 'the backend saw no probe');
    t.equal(scannedConnections.total(), 0, 'nor any connection');
    t.equal(statuses.get(0) ?? 0, 0, 'every probe got an answer');
    t.same([...statuses.keys()].sort(), [400, 404], 'a plain 404, or 400 for what request-target.ts refuses');
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 10);
    await backToBaseline(
      t,
      "the other host's median latency (ms)",
      () => medianLatencyMs(gw.url, OTHER, '/', 7),
      baselineMs,
      15,
    );
  },
);
