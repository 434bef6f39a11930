import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import {
  attackSize,
  backToBaseline,
  heapAfterGcMiB,
  listenerGaugesBack,
  openFds,
  trackConnections,
} from '../helpers/attack.js';
import { closeIdleConnections } from '../helpers/download-backend.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { waitFor } from '../helpers/wait-for.js';

const HOST = 'unduh.paserkab.go.id';
/** The route's idle timeout: how long a client that takes nothing may hold its backend exchange. */
const IDLE_MS = 2000;
/** Clients that stop reading, and as many that leave after the first MiB. */
const CLIENTS = attackSize(8, 50);
/** Far more than every buffer on the way (loopback sockets autotune to a few MiB each way). */
const BODY_BYTES = 256 * 1024 * 1024;
/** What a stalled response may have pulled from the backend: the sockets' buffers and high-water marks, not the body. */
const PULLED_BOUND = 24 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'u');

/** The live heap and the buffers outside it after a full GC (RSS keeps what V8 grew into, leak or not). */
function liveMiB(): number {
  return heapAfterGcMiB() + process.memoryUsage().arrayBuffers / 1048576;
}

// A bodyless GET on a route without cache: the raw proxied front (proxied-front.ts) takes it, not fastify.
t.test(
  'clients that stall or leave a big uncached stream pause the backend, which the idle timeout or the leaving frees',
  async (t) => {
    const written = new Map<string, number>();
    /** Backend responses whose connection closed (the gateway aborted the exchange). */
    const closed = new Set<string>();
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        const path = req.url ?? '';
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': BODY_BYTES });
        res.once('close', () => closed.add(path));
        let sent = 0;
        const started = Date.now();
        const more = (): void => {
          // Bounded in time too: a leak shows as bytes, never as a test that hangs.
          while (!res.destroyed && sent < BODY_BYTES && Date.now() - started < 20_000) {
            sent += CHUNK.length;
            written.set(path, sent);
            if (!res.write(CHUNK)) {
              res.once('drain', more);
              return;
            }
          }
          if (!res.destroyed) res.destroy();
        };
        more();
      },
      {
        gateway: { limits: { maxBackendRequestsPerClient: 10_000, maxConnectionsPerAddress: 10_000 } },
        hostDoc: (origin) => ({
          routes: [{ path: '/', targets: [origin], cache: { enabled: false }, timeouts: { idle: IDLE_MS } }],
        }),
      },
    );
    // Spare connections undici opens close when unused; generous, so a busy machine's late request is not cut.
    closeIdleConnections(backend.server, 2_000);
    const upstream = trackConnections(backend.server);
    const fds = openFds();
    const live = liveMiB();
    const port = Number(new URL(gw.url).port);

    const stallers: Socket[] = [];
    const leavers: Socket[] = [];
    t.teardown(() => {
      for (const c of [...stallers, ...leavers]) c.destroy();
    });
    for (let i = 0; i < CLIENTS; i++) {
      const staller = connect(port, '127.0.0.1');
      await once(staller, 'connect');
      staller.on('error', () => undefined);
      staller.pause(); // keeps its connection and never reads
      staller.write(`GET /diam/${i}.iso HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      stallers.push(staller);
      const leaver = connect(port, '127.0.0.1');
      await once(leaver, 'connect');
      leaver.on('error', () => undefined);
      let got = 0;
      leaver.on('data', (d: Buffer) => {
        got += d.length;
        if (got >= 1024 * 1024) leaver.destroy();
      });
      leaver.write(`GET /pergi/${i}.iso HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      leavers.push(leaver);
    }
    const pulled = (prefix: string): number[] =>
      [...written].filter(([path]) => path.startsWith(prefix)).map(([, bytes]) => bytes);
    await waitFor('every stream under way', () => pulled('/diam/').length === CLIENTS, 20_000, 20);
    await waitFor('the leavers gone', () => leavers.every((l) => l.destroyed), 10_000, 20);
    // Well before the idle timeout: the leaving, not the stall, is what frees these.
    await backToBaseline(
      t,
      'backend streams of clients that left',
      () => CLIENTS - [...closed].filter((path) => path.startsWith('/pergi/')).length,
      0,
      0,
      IDLE_MS / 2,
    );

    // The stalled ones: the backend's writes stop once the buffers on the way are full.
    let last = -1;
    await waitFor(
      'the stalled streams to stop growing',
      () => {
        const now = pulled('/diam/').reduce((a, b) => a + b, 0);
        const still = now === last;
        last = now;
        return still;
      },
      IDLE_MS,
      200,
    ).catch(() => undefined);
    const most = Math.max(...pulled('/diam/'));
    t.ok(
      most < PULLED_BOUND,
      `a client that reads nothing pulled at most ${(most / 1048576).toFixed(1)} MiB of the ${BODY_BYTES / 1048576} MiB body`,
    );
    const leftMost = Math.max(...pulled('/pergi/'));
    t.ok(
      leftMost < PULLED_BOUND + 1024 * 1024,
      `a client that left after 1 MiB pulled at most ${(leftMost / 1048576).toFixed(1)} MiB`,
    );
    // A few high-water marks per stream (0.2 MiB measured), never the body.
    const held = liveMiB() - live;
    t.ok(held < 16 + CLIENTS, `live memory held for ${CLIENTS} stalled streams: +${held.toFixed(1)} MiB`);
    const stalledAt = Date.now();

    // The idle timeout gives the backend its connections back while the stallers still hold theirs.
    await backToBaseline(
      t,
      'backend connections, the stalling clients still connected',
      upstream.open,
      0,
      0,
      IDLE_MS * 4 + 5_000,
    );
    t.ok(Date.now() - stalledAt >= IDLE_MS / 3, 'not before the stallers had their idle time');
    for (const s of stallers) s.destroy();
    await listenerGaugesBack(t, gw.adminUrl);
    await backToBaseline(t, 'open file descriptors', openFds, fds, 4, 3_000);
  },
);
