import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import {
  attackSize,
  backToBaseline,
  listenerGaugesBack,
  openFds,
  trackConnections,
} from '../helpers/attack.js';
import { proxiedHost, uncachedHost } from '../helpers/proxied-host.js';
import { waitFor } from '../helpers/wait-for.js';

const HOST = 'pipa.paserkab.go.id';
const PIPELINED = attackSize(500, 2_000);
const ROUNDS = attackSize(3, 10);

// Bodyless GETs on a route without cache: each is taken by the raw proxied front (proxied-front.ts). Node queues
// the responses of pipelined requests behind the first; a queued one has no socket and emits no 'close' of its
// own when the client goes (direct-reply.ts and forward.ts listen for that).
t.test(
  'pipelined bodyless GETs from a client that sends them all and closes leave no backend exchange or request in flight',
  async (t) => {
    const held = new Set<ServerResponse>();
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        // Thinks for ever: only the gateway aborting the exchange frees it.
        held.add(res);
        res.once('close', () => held.delete(res));
      },
      {
        gateway: { limits: { maxBackendRequestsPerClient: 10_000 } },
        hostDoc: uncachedHost,
      },
    );
    t.teardown(() => {
      for (const res of held) res.destroy();
    });
    const upstream = trackConnections(backend.server);
    // Connections undici dials in place of aborted ones (nodejs/undici#5845) close when they bring nothing.
    backend.server.on('connection', (socket) => socket.setTimeout(1_000, () => socket.destroy()));
    const fds = openFds();
    const one = `GET /halaman HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;

    for (let round = 0; round < ROUNDS; round++) {
      const asked = backend.seen.length;
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      await once(socket, 'connect');
      socket.on('error', () => undefined);
      // Half of the rounds end with a FIN after the requests, the others with a reset once they are at the backend.
      if (round % 2 === 0) socket.end(one.repeat(PIPELINED));
      else {
        socket.write(one.repeat(PIPELINED));
        await waitFor('requests at the backend', () => backend.seen.length > asked, 5_000, 10);
        await sleep(100);
        socket.destroy();
      }
      const reached = backend.seen.length - asked;
      await backToBaseline(
        t,
        `round ${round}: backend exchanges still worked on (${reached} reached it)`,
        () => held.size,
        0,
        0,
        3_000,
      );
      await listenerGaugesBack(t, gw.adminUrl, 0, `round ${round}: `);
    }
    await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 5_000);
    await backToBaseline(t, 'open file descriptors', openFds, fds, 4, 3_000);
  },
);
