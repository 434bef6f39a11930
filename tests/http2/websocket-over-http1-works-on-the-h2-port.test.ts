import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { WebSocket, WebSocketServer } from 'ws';
import { startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

t.test('browsers open WebSockets over HTTP/1.1 on the port that also speaks h2', async (t) => {
  const server = createServer((_req, res) => res.end('plain'));
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => socket.on('message', (data) => socket.send(`echo:${data}`)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    wss.close();
    server.closeAllConnections();
    server.close();
  });
  const ca = await createTestCa();
  const host = 'chat.paserkab.go.id';
  await gw.admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [origin] }] });
  await gw.admin('PUT', `/v1/certificates/${host}`, await ca.issue([host]));

  // A browser's WebSocket offers only http/1.1 by ALPN (RFC 8441 over h2 is not offered by Gerbang).
  const client = new WebSocket(`wss://127.0.0.1:${gw.gateway.ports.https}/chat`, {
    headers: { host },
    servername: host,
    ca: ca.certificate,
    ALPNProtocols: ['http/1.1'],
  } as ConstructorParameters<typeof WebSocket>[2]);
  t.teardown(() => client.terminate());
  const reply = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no echo within 5 s')), 5_000);
    client.on('open', () => client.send('halo'));
    client.on('message', (data) => {
      clearTimeout(timer);
      resolve(String(data));
    });
    client.on('error', reject);
  });
  t.equal(reply, 'echo:halo', 'the WebSocket is spliced both ways over TLS');
});
