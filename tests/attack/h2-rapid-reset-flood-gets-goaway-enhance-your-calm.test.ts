import { type ClientHttp2Session, constants } from 'node:http2';
import t from 'tap';
import {
  attackSize,
  backToBaseline,
  heapAfterGcMiB,
  medianLatencyMs,
  openFds,
  trackConnections,
} from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { h2Request, h2Session } from '../helpers/h2-client.js';
import { createTestCa } from '../helpers/test-ca.js';
import { metricValue } from '../helpers/wait-for.js';

/** Sessions of the flood, one after another, each sending HEADERS + RST_STREAM pairs as fast as it can. */
const SESSIONS = attackSize(4, 40);
/** Pairs one session tries to send: far past the cap (100), as the attack's thousands per second are. */
const RESETS_PER_SESSION = attackSize(400, 5_000);

/** Floods one session with reset streams; resolves with the GOAWAY code received (or -1) once it is closed. */
async function flood(session: ClientHttp2Session, host: string): Promise<number> {
  let code = -1;
  session.on('goaway', (c: number) => {
    code = c;
  });
  session.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));
  for (let i = 0; i < RESETS_PER_SESSION && !session.closed && !session.destroyed; i++) {
    try {
      const stream = session.request({ ':path': `/r${i}`, ':authority': host });
      stream.on('error', () => undefined);
      stream.close(constants.NGHTTP2_CANCEL);
    } catch {
      break;
    }
    // Let the frames out in bursts, as an attacker's socket writes do.
    if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  session.destroy();
  return code;
}

t.test(
  'a Rapid Reset flood gets GOAWAY ENHANCE_YOUR_CALM per session and leaves nothing behind',
  async (t) => {
    const backend = await startBackend((_req, res) => setTimeout(() => res.end('portal'), 20));
    const upstream = trackConnections(backend.server);
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const ca = await createTestCa();
    const host = 'dinkes.paserkab.go.id';
    const other = 'disdik.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    await gw.admin('PUT', `/v1/hosts/${other}`, simpleHost(backend.origin));
    await gw.admin('PUT', '/v1/certificates/*.paserkab.go.id', await ca.issue(['*.paserkab.go.id']));
    const port = gw.gateway.ports.https;

    const fds = openFds();
    const heap = heapAfterGcMiB();
    const before = await medianLatencyMs(gw.url, other);

    const codes: number[] = [];
    let during = 0;
    for (let s = 0; s < SESSIONS; s++) {
      const session = await h2Session(port, host, ca.certificate);
      const latency = s === 0 ? medianLatencyMs(gw.url, other, '/', 9) : undefined;
      codes.push(await flood(session, host));
      if (latency) during = await latency;
    }
    t.same(
      codes,
      codes.map(() => constants.NGHTTP2_ENHANCE_YOUR_CALM),
      `every flooding session got GOAWAY ENHANCE_YOUR_CALM (codes ${codes.join(',')})`,
    );
    const cut = await metricValue(gw.adminUrl, 'gerbang_connections_cut_total', {
      listener: 'https',
      reason: 'h2_rapid_reset',
    });
    t.equal(cut, SESSIONS, 'each cut is counted');
    t.ok(
      backend.seen.length < SESSIONS * RESETS_PER_SESSION * 0.5,
      `the backend saw ${backend.seen.length} of ${SESSIONS * RESETS_PER_SESSION} reset streams`,
    );

    // A polite client on HTTP/2 still gets its page (once the backend has answered what was in flight).
    // Reset streams give the backend its connections back (idle ones leave with the pool's keep-alive).
    await backToBaseline(t, 'backend connections', () => upstream.open(), 1, 1, 10_000);
    const polite = await h2Session(port, other, ca.certificate);
    t.equal((await h2Request(polite, other, '/')).body, 'portal');
    polite.destroy();
    await backToBaseline(t, 'open fds', openFds, fds, 8);
    await backToBaseline(t, 'live heap after GC (MiB)', heapAfterGcMiB, heap, 32);
    const after = await medianLatencyMs(gw.url, other);
    t.ok(
      during < before * 5 + 50,
      `another host's latency during the flood: ${during.toFixed(1)} ms (before ${before.toFixed(1)})`,
    );
    t.ok(after < before * 3 + 20, `and after: ${after.toFixed(1)} ms`);
  },
);
