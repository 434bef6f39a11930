import { createServer } from 'node:http';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { startTestGateway } from '../helpers/gateway.js';
import { upgradeRequestHead } from '../helpers/upgrade-client.js';
import { waitFor } from '../helpers/wait-for.js';

const UPGRADES = attackSize(24, 200);
const HOST = 'chat.paserkab.go.id';

t.test(
  'upgrades whose clients leave before a slow portal answers release both connections at once',
  async (t) => {
    // A portal that takes every upgrade and thinks for ever (the gateway's own timeout is 35 s by default).
    const portal = createServer();
    const held: Socket[] = [];
    portal.on('upgrade', (_req, socket: Socket) => {
      held.push(socket);
      // It closes when Gerbang does, as a WebSocket server would.
      socket.on('end', () => socket.destroy());
      socket.resume();
    });
    const upstream = trackConnections(portal);
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    const { port: portalPort } = portal.address() as { port: number };
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      for (const s of held) s.destroy();
      portal.close();
    });
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      routes: [{ path: '/', targets: [`http://127.0.0.1:${portalPort}`] }],
    });
    t.equal(put.status, 201);
    const fdsBefore = openFds();

    const clients: Socket[] = [];
    for (let i = 0; i < UPGRADES; i++) {
      const socket = connect(gw.gateway.ports.http, '127.0.0.1');
      socket.on('error', () => socket.destroy());
      socket.write(upgradeRequestHead(HOST));
      clients.push(socket);
    }
    await waitFor('every upgrade at the portal', () => upstream.open() === UPGRADES, 10_000, 20);
    // Every client gives up (an ordinary close: FIN, nothing unread).
    for (const socket of clients) socket.end();
    await backToBaseline(t, 'portal connections', upstream.open, 0, 0, 3_000);
    for (const socket of clients) socket.destroy();
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 4, 3_000);
  },
);
