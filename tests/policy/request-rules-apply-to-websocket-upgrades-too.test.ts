import { createServer, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { upgradeRequestHead } from '../helpers/upgrade-client.js';
import { waitFor } from '../helpers/wait-for.js';

const HOST = 'obrolan.paserkab.go.id';

t.test("a host's request rules shape a WebSocket upgrade as they shape any request", async (t) => {
  const seen: IncomingHttpHeaders[] = [];
  const held: Socket[] = [];
  const portal = createServer();
  portal.on('upgrade', (req, socket: Socket) => {
    seen.push(req.headers);
    held.push(socket);
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
  const { port } = portal.address() as { port: number };
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    for (const s of held) s.destroy();
    portal.close();
  });
  const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
    routes: [{ path: '/', targets: [`http://127.0.0.1:${port}`] }],
    headers: { request: { set: { 'X-Portal-Key': 'gerbang' }, remove: ['Cookie'] } },
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const client = connect(gw.gateway.ports.http, '127.0.0.1');
  t.teardown(() => client.destroy());
  client.on('error', () => undefined);
  client.write(upgradeRequestHead(HOST, '/chat', { 'X-Portal-Key': 'forged', Cookie: 'PHPSESSID=abc' }));
  await waitFor('the upgrade at the portal', () => seen.length === 1, 5_000, 20);
  t.equal(seen[0]?.['x-portal-key'], 'gerbang', "set replaced the client's value");
  t.equal(seen[0]?.cookie, undefined, 'removed');
  t.equal(seen[0]?.upgrade, 'websocket', 'still an upgrade');
});
