import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestGateway } from '../helpers/gateway.js';

t.test('a WebSocket upgrade is routed like a request and spliced both ways', async (t) => {
  const server = createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ server });
  let seenPath = '';
  let seenHost = '';
  wss.on('connection', (socket, req) => {
    seenPath = req.url ?? '';
    seenHost = req.headers.host ?? '';
    socket.on('message', (data) => socket.send(`echo:${data}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  await gw.admin('PUT', '/v1/hosts/chat.paserkab.go.id', {
    routes: [{ path: '/ws', targets: [origin], stripPrefix: true }],
  });

  const client = new WebSocket(`ws://127.0.0.1:${gw.gateway.ports.http}/ws/room?id=7`, {
    headers: { host: 'chat.paserkab.go.id' },
  });
  const reply = await new Promise<string>((resolve, reject) => {
    client.on('open', () => client.send('halo'));
    client.on('message', (data) => resolve(String(data)));
    client.on('error', reject);
  });
  t.equal(reply, 'echo:halo', 'messages cross both ways');
  t.equal(seenPath, '/room?id=7', 'the route’s stripPrefix applies to upgrades too');
  t.equal(
    seenHost,
    `chat.paserkab.go.id:${gw.gateway.ports.http}`,
    'Host as an ordinary request forwards it: the normalised name with the listener’s port',
  );
  client.close();
});
