import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestGateway } from '../helpers/gateway.js';
import { upgradeExchange } from '../helpers/upgrade-client.js';

const DRAIN_MS = 1_000;
const TUNNELS = 5;

function echo(client: WebSocket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.once('message', (data) => resolve(String(data)));
    client.once('error', reject);
    client.send(text);
  });
}

t.test(
  'the SIGTERM drain with open WebSocket tunnels: they work until its deadline, are cut there, and the stop finishes',
  async (t) => {
    const server = createServer((_req, res) => res.end('plain'));
    const wss = new WebSocketServer({ server });
    wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${data}`)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const gw = await startTestGateway({ limits: { drainTimeoutMs: DRAIN_MS } });
    t.teardown(() => {
      wss.close();
      server.closeAllConnections();
      server.close();
    });
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/chat.paserkab.go.id', { routes: [{ path: '/', targets: [origin] }] }))
        .status,
      201,
    );
    const port = gw.gateway.ports.http;

    const clients: WebSocket[] = [];
    for (let i = 0; i < TUNNELS; i++) {
      const client = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { host: 'chat.paserkab.go.id' } });
      await new Promise((resolve, reject) => {
        client.once('open', resolve);
        client.once('error', reject);
      });
      clients.push(client);
    }
    t.equal(await echo(clients[0] as WebSocket, 'before'), 'echo:before');
    const closed = clients.map((c) => new Promise<void>((resolve) => c.once('close', () => resolve())));
    // And one refused upgrade (unknown host) whose client never closes its side.
    const refused = await upgradeExchange(port, 'nowhere.paserkab.go.id', { onAnswer: 'x', halfOpen: true });
    t.equal(refused.status, 404);

    const began = Date.now();
    const stopped = gw.stop().then(() => 'stopped');
    t.equal(
      await echo(clients[1] as WebSocket, 'during'),
      'echo:during',
      'a tunnel still carries messages in the drain',
    );
    const outcome = await Promise.race([
      stopped,
      new Promise<string>((resolve) => setTimeout(() => resolve('still draining'), DRAIN_MS + 5_000).unref()),
    ]);
    t.equal(outcome, 'stopped', 'the drain reached the upgraded connections and finished');
    const took = Date.now() - began;
    t.ok(took >= DRAIN_MS - 100, `the tunnels were kept until the deadline (${took} ms)`);
    await Promise.all(closed);
    t.pass('every tunnel was closed on the client');
    refused.socket.destroy();
  },
);
