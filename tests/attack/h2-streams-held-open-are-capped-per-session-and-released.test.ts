import type { ClientHttp2Session } from 'node:http2';
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
import { waitFor } from '../helpers/wait-for.js';

const SESSIONS = attackSize(3, 20);
/** More than the 100 concurrent streams a session may have. */
const STREAMS = 150;
/** Longer than the test: no stream beyond the cap gets a slot freed by a 504, and only the abort frees the backend. */
const RESPONSE_MS = 30_000;

t.test(
  'streams held open are capped at 100 per session, and everything is released when the client goes',
  async (t) => {
    const held: Array<() => void> = [];
    const backend = await startBackend((req, res) => {
      if (req.url?.startsWith('/hold')) held.push(() => res.end('late'));
      else res.end('portal');
    });
    const upstream = trackConnections(backend.server);
    // Like Apache's KeepAliveTimeout: a connection that brings no request is closed. Only those opened once the
    // clients are gone: undici dials a spare in place of each aborted exchange (nodejs/undici#5845, fix in #5846).
    let idleCut = false;
    backend.server.on('connection', (socket) => {
      if (idleCut) socket.setTimeout(500, () => socket.destroy());
    });
    const gw = await startTestGateway({
      limits: {
        maxBackendRequestsPerClient: 10_000,
        backendConnections: 10_000,
        maxConnectionsPerAddress: 1_000,
      },
    });
    t.teardown(async () => {
      await gw.stop();
      for (const end of held) end();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    const other = 'disdik.paserkab.go.id';
    // The route's response timeout is long: what frees the backend is Gerbang aborting each exchange whose
    // client left before the answer.
    await gw.admin(
      'PUT',
      `/v1/hosts/${host}`,
      simpleHost(backend.origin, { timeouts: { response: RESPONSE_MS } }),
    );
    await gw.admin('PUT', `/v1/hosts/${other}`, simpleHost(backend.origin));
    const port = gw.gateway.ports.https;
    const fds = openFds();
    const heap = heapAfterGcMiB();
    const before = await medianLatencyMs(gw.url, other);

    const sessions: ClientHttp2Session[] = [];
    for (let s = 0; s < SESSIONS; s++) {
      const session = await h2Session(port, host);
      session.on('error', () => undefined);
      for (let i = 0; i < STREAMS; i++) {
        const stream = session.request({ ':path': `/hold/${s}/${i}`, ':authority': host });
        stream.on('error', () => undefined);
        stream.end();
      }
      sessions.push(session);
    }
    const cap = SESSIONS * 100;
    const heldPaths = (): number => backend.seen.filter((r) => r.url.startsWith('/hold')).length;
    await waitFor('the held streams at the backend', () => heldPaths() >= cap, 10_000);
    // Give any stream beyond the cap time to show up (it must not).
    await new Promise((resolve) => setTimeout(resolve, 500));
    t.equal(
      heldPaths(),
      cap,
      `the backend got ${heldPaths()} of ${SESSIONS * STREAMS} streams: 100 per session`,
    );
    const during = await medianLatencyMs(gw.url, other, '/', 9);

    idleCut = true;
    for (const session of sessions) session.destroy();
    await backToBaseline(t, 'backend connections', () => upstream.open(), 0, 1, 5_000);
    await backToBaseline(t, 'open fds', openFds, fds, 8);
    await backToBaseline(t, 'live heap after GC (MiB)', heapAfterGcMiB, heap, 32);
    const polite = await h2Session(port, other);
    t.equal((await h2Request(polite, other, '/')).body, 'portal', 'a polite h2 client is served');
    polite.destroy();
    t.ok(
      during < before * 5 + 50,
      `another host's latency while held: ${during.toFixed(1)} ms (before ${before.toFixed(1)})`,
    );
  },
);
