import { createServer, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { startTestGateway } from '../helpers/gateway.js';
import { waitFor } from '../helpers/wait-for.js';

const CLIENTS = attackSize(16, 200);
const HOST = 'lambat.paserkab.go.id';

t.test(
  'requests whose clients leave before a slow backend answers give the backend connections back at once',
  async (t) => {
    // A backend that thinks for ever about every request (the route's response timeout is 30 s by default).
    const held: ServerResponse[] = [];
    const backend = createServer((_req, res) => {
      held.push(res);
    });
    const upstream = trackConnections(backend);
    // Like Apache's KeepAliveTimeout: a connection that brings no request is closed (only those opened after the
    // clients left; the held ones are what the test watches).
    let idleCut = false;
    backend.on('connection', (socket) => {
      if (idleCut) socket.setTimeout(500, () => socket.destroy());
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    const { port } = backend.address() as { port: number };
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      for (const res of held) res.destroy();
      backend.close();
    });
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      // Not cacheable: every request is its own exchange (the cache's coalescing is another test's).
      routes: [{ path: '/', targets: [`http://127.0.0.1:${port}`], cache: { enabled: false } }],
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const fdsBefore = openFds();

    const clients: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      // Each from its own address: the per-client cap on backend requests is not what bounds this.
      const socket = connect({
        port: gw.gateway.ports.http,
        host: '127.0.0.1',
        localAddress: `127.0.0.${2 + (i % 200)}`,
      });
      socket.on('error', () => socket.destroy());
      socket.write(`GET /laporan/${i} HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
      clients.push(socket);
    }
    await waitFor('every request at the backend', () => held.length === CLIENTS, 10_000, 20);
    t.equal(upstream.open(), CLIENTS, 'one backend connection per waiting request');
    idleCut = true;
    for (const socket of clients) socket.destroy();
    // Each abandoned exchange is aborted: its backend socket closes.
    const inFlight = () => held.filter((res) => res.socket !== null && !res.socket.destroyed).length;
    await backToBaseline(t, 'requests the backend still works on for gone clients', inFlight, 0, 0, 3_000);
    // undici dials a spare connection in place of each aborted one (nodejs/undici#5845): the backend closes those.
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 4, 3_000);
    await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 3_000);
    const metrics = await (await fetch(`${gw.adminUrl}/metrics`)).text();
    t.notMatch(
      metrics,
      /gerbang_target_ejections_total\{[^}]*\} [1-9]/,
      'leaving clients are not held against the target',
    );
  },
);
