import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import t from 'tap';
import { WebSocketServer } from 'ws';
import { startTestGateway } from '../helpers/gateway.js';
import { upgradeRequestHead } from '../helpers/upgrade-client.js';
import { waitFor } from '../helpers/wait-for.js';

/** A masked client text frame (RFC 6455 §5.2). */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = Buffer.from([1, 2, 3, 4]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

t.test('a frame the client sends before the backend’s 101 is kept and reaches the backend', async (t) => {
  const server = createServer();
  // The backend takes its time before accepting: the frame arrives at Gerbang while it waits.
  const wss = new WebSocketServer({
    server,
    verifyClient: (_info, done) => void setTimeout(() => done(true), 300),
  });
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
  const host = 'chat.paserkab.go.id';
  t.equal(
    (await gw.admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [origin] }] })).status,
    201,
  );

  const socket = connect(gw.gateway.ports.http, '127.0.0.1');
  t.teardown(() => socket.destroy());
  let text = '';
  socket.on('data', (d: Buffer) => {
    text += d.toString('latin1');
  });
  socket.write(upgradeRequestHead(host));
  await new Promise((r) => setTimeout(r, 100));
  t.equal(text, '', 'nothing answered yet');
  socket.write(clientFrame('halo'));
  await waitFor('the echo', () => text.includes('echo:halo'), 5_000, 10);
  t.match(text, /^HTTP\/1\.1 101 /);
});
