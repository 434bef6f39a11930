import { once } from 'node:events';
import { connect } from 'node:net';
import t from 'tap';
import { attackSize } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const HOST = 'perizinan.paserkab.go.id';
/** Far more than the consecutive failures that eject a target (DEFAULT_PASSIVE_FAILURES). */
const ABANDONED = attackSize(12, 200);
const START = Buffer.alloc(100 * 1024, 'p');

/** A POST that sends the start of a large body and then leaves. */
async function abandonUpload(port: number): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(`POST /unggah HTTP/1.1\r\nHost: ${HOST}\r\nContent-Length: 10000000\r\n\r\n`);
  socket.write(START);
  await new Promise((r) => setTimeout(r, 150));
  socket.destroy();
  await once(socket, 'close');
}

t.test('uploads their clients abandon never eject the healthy targets they were going to', async (t) => {
  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  };
  const a = await startBackend(handler);
  const b = await startBackend(handler);
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([a.stop(), b.stop()]);
  });
  await gw.admin('PUT', `/v1/hosts/${HOST}`, {
    routes: [{ path: '/', targets: [a.origin, b.origin], cache: { enabled: false } }],
  });
  t.equal((await http(`${gw.url}/`, { host: HOST })).status, 200, 'warm-up');

  const port = gw.gateway.ports.http;
  for (let i = 0; i < ABANDONED; i++) await abandonUpload(port);
  await new Promise((r) => setTimeout(r, 200));

  const status = await gw.admin('GET', `/v1/status?host=${HOST}`);
  const targets = (
    status.body as { hosts: Array<{ routes: Array<{ targets: Array<{ condition: string }> }> }> }
  ).hosts[0]?.routes[0]?.targets;
  t.same(
    targets?.map((x) => x.condition),
    ['healthy', 'healthy'],
    `both targets healthy after ${ABANDONED} abandoned uploads`,
  );
});
