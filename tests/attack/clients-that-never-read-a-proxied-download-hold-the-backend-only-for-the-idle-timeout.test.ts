import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { closeIdleConnections, streamBody } from '../helpers/download-backend.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { waitFor } from '../helpers/wait-for.js';

/** The route's idle timeout: how long Gerbang waits for a client that takes nothing. */
const IDLE_MS = 1500;
const CLIENTS = attackSize(12, 200);

t.test(
  'clients that stop reading an uncacheable download hold the backend no longer than the idle timeout',
  async (t) => {
    const { backend, gw } = await proxiedHost(
      t,
      'unduh.paserkab.go.id',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
        streamBody(res, undefined, 30_000);
      },
      { hostDoc: (origin) => ({ routes: [{ path: '/', targets: [origin], timeouts: { idle: IDLE_MS } }] }) },
    );
    closeIdleConnections(backend.server);
    const upstream = trackConnections(backend.server);
    const fds = openFds();

    const clients: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      await once(socket, 'connect');
      socket.pause(); // keeps its socket open and never reads
      socket.write(`GET /berkas-${i}.iso HTTP/1.1\r\nHost: unduh.paserkab.go.id\r\n\r\n`);
      clients.push(socket);
    }
    t.teardown(() => {
      for (const c of clients) c.destroy();
    });
    await waitFor('every download under way', () => upstream.total() >= CLIENTS, 10_000);
    const stalledAt = Date.now();
    await backToBaseline(
      t,
      'backend connections after the idle timeout, the clients still connected',
      () => upstream.open(),
      0,
      0,
      IDLE_MS * 4 + 5_000,
    );
    t.ok(Date.now() - stalledAt >= IDLE_MS / 2, 'not before the clients had their idle time');
    for (const c of clients) c.destroy();
    await backToBaseline(t, 'open file descriptors', openFds, fds, 3);
  },
);
