import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { DEFAULT_CACHE_READ_AHEAD_FRACTION } from '../../src/config/defaults.js';
import { attackSize, backToBaseline, openFds, rssMiB, trackConnections } from '../helpers/attack.js';
import { closeIdleConnections, streamBody } from '../helpers/download-backend.js';
import { http, rawGet } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'arsip.paserkab.go.id';
const MiB = 1024 * 1024;
/** Larger than what the sockets between client, Gerbang and backend can buffer (several MiB on loopback). */
const FILE_BYTES = 16 * MiB;
const CLIENTS = attackSize(4, 30);
const MEMORY_BYTES = 256 * MiB;
/** What all misses together may hold for clients slower than the backend. */
const READ_AHEAD_BYTES = MEMORY_BYTES * DEFAULT_CACHE_READ_AHEAD_FRACTION;
/** The route's idle timeout: how long Gerbang waits for a client that takes nothing. */
const IDLE_MS = 1_500;

t.test(
  'clients that never read a cacheable download free the backend at once and are closed after the idle timeout',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        if (req.url === '/ping') {
          res.writeHead(200, { 'content-length': '4' });
          res.end('pong');
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/pdf',
          'cache-control': 'public, max-age=600',
          'content-length': String(FILE_BYTES),
        });
        streamBody(res, FILE_BYTES);
      },
      {
        gateway: {
          config: {
            cache: {
              memoryBytes: MEMORY_BYTES,
              maxObjectBytes: 24 * MiB,
              redis: false,
              redisMaxObjectBytes: 0,
              redisTimeoutMs: 50,
            },
          },
        },
        hostDoc: (origin) => ({ routes: [{ path: '/', targets: [origin], timeouts: { idle: IDLE_MS } }] }),
      },
    );
    t.equal(put.status, 201);
    closeIdleConnections(backend.server);
    const conns = trackConnections(backend.server);
    t.equal((await http(`${gw.url}/ping`, { host: HOST })).status, 200);
    await backToBaseline(t, 'backend connections before the attack', () => conns.open(), 0, 0);
    const fdsBefore = openFds();
    const rssBefore = rssMiB();

    // Each client asks for its own document and then reads nothing at all.
    const sockets: Socket[] = [];
    const closed = new Set<Socket>();
    for (let i = 0; i < CLIENTS; i++) {
      const socket = await rawGet(gw.url, HOST, `/dokumen-${i}.pdf`);
      socket.pause();
      socket.on('error', () => undefined);
      socket.once('close', () => closed.add(socket));
      sockets.push(socket);
    }
    t.teardown(() => {
      for (const s of sockets) s.destroy();
    });

    // The bodies go into the cache at the backend's pace as far as the read-ahead budget goes: those backend
    // connections are free while the clients still hold theirs. Past the budget the clients' pace applies.
    const heldAtMost = CLIENTS - Math.min(CLIENTS, Math.floor(READ_AHEAD_BYTES / FILE_BYTES));
    await backToBaseline(
      t,
      'backend connections while the clients still hold theirs',
      () => conns.open(),
      heldAtMost,
      0,
      8_000,
    );
    t.equal(closed.size, 0, 'the clients are still connected');
    const ping = await http(`${gw.url}/ping`, { host: HOST, timeoutMs: 5_000 });
    t.equal(ping.status, 200, 'the backend is reachable through Gerbang');
    const rssDuring = rssMiB();
    t.comment(`rss with ${CLIENTS} idle clients: ${rssDuring.toFixed(0)} MiB (was ${rssBefore.toFixed(0)})`);
    // At most what the memory tier stores plus the read-ahead budget (they overlap: a client is handed views of
    // the stored body), plus socket buffers.
    const bound = (MEMORY_BYTES + READ_AHEAD_BYTES) / MiB + 100;
    t.ok(
      rssDuring - rssBefore < bound,
      `memory is bounded (+${(rssDuring - rssBefore).toFixed(0)} MiB < ${bound})`,
    );

    // The idle timeout ends them: once a client reads again it finds its connection closed by Gerbang and its
    // download cut off (a paused socket sees the close only when it reads).
    await sleep(IDLE_MS + 500);
    const received = new Map<Socket, number>();
    for (const s of sockets) {
      received.set(s, 0);
      s.on('data', (d: Buffer) => received.set(s, (received.get(s) ?? 0) + d.length));
      s.resume();
    }
    await backToBaseline(t, 'clients still connected', () => CLIENTS - closed.size, 0, 0, 8_000);
    const complete = [...received.values()].filter((n) => n >= FILE_BYTES).length;
    t.equal(complete, 0, 'no client got its whole download after idling past the timeout');
    await backToBaseline(t, 'backend connections', () => conns.open(), 0, 0, 5_000);
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 10);
  },
);
