import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import t from 'tap';
import { attackSize, backToBaseline, openFds } from '../helpers/attack.js';
import { startTestGateway } from '../helpers/gateway.js';
import { metricValue } from '../helpers/wait-for.js';

const SILENT = attackSize(40, 500);
/** Long enough for every connection of the attack to be open (500 TLS handshakes take a while) before any is cut. */
const FIRST_BYTE_MS = attackSize(600, 3_000);
const HANDSHAKE_MS = FIRST_BYTE_MS;
/** Well under what old code needed (never, or Node's 120 s for a handshake). */
const WITHIN_MS = FIRST_BYTE_MS + 2_400;

/** Opens a connection that says nothing; resolves once connected (or the handshake is done, for `tls`). */
async function silent(port: number, kind: 'tcp' | 'tls'): Promise<Socket> {
  if (kind === 'tcp') {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    return socket;
  }
  const socket = tlsConnect({
    host: '127.0.0.1',
    port,
    rejectUnauthorized: false,
    servername: 'x.paserkab.go.id',
  });
  socket.on('error', () => undefined);
  await once(socket, 'secureConnect');
  return socket;
}

const cases: Array<{ name: string; listener: 'http' | 'https'; kind: 'tcp' | 'tls' }> = [
  { name: 'plain HTTP connections that send nothing', listener: 'http', kind: 'tcp' },
  { name: 'TCP connections to HTTPS that never start the handshake', listener: 'https', kind: 'tcp' },
  { name: 'TLS connections that complete the handshake and send nothing', listener: 'https', kind: 'tls' },
];

for (const c of cases) {
  t.test(`${c.name} are closed by the gateway and fds return to baseline`, async (t) => {
    const gw = await startTestGateway({
      limits: {
        firstByteTimeoutMs: FIRST_BYTE_MS,
        tlsHandshakeTimeoutMs: HANDSHAKE_MS,
        maxConnectionsPerAddress: SILENT * 2,
      },
    });
    t.teardown(() => gw.stop());
    const port = gw.gateway.ports[c.listener];
    // Warm up (the TLS context, lazily opened files), then measure.
    (await silent(port, c.kind)).destroy();
    await new Promise((r) => setTimeout(r, 100));
    const fdsBefore = openFds();

    const sockets = await Promise.all(Array.from({ length: SILENT }, () => silent(port, c.kind)));
    t.teardown(() => {
      for (const s of sockets) s.destroy();
    });
    t.ok(openFds() >= fdsBefore + SILENT, `${SILENT} connections open`);
    const started = Date.now();
    const closed = await Promise.race([
      Promise.all(sockets.map((s) => (s.closed ? Promise.resolve() : once(s, 'close')))).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), WITHIN_MS)),
    ]);
    const open = sockets.filter((s) => !s.closed).length;
    t.ok(closed, `the gateway closed every silent connection within ${WITHIN_MS} ms (${open} still open)`);
    t.ok(Date.now() - started >= FIRST_BYTE_MS / 2, 'not before the timeout');
    // A TCP connection to HTTPS that never starts the handshake is the handshake timeout's (Node's own count).
    if (c.kind === 'tls' || c.listener === 'http')
      t.equal(
        await metricValue(gw.adminUrl, 'gerbang_connections_cut_total', {
          listener: c.listener,
          reason: 'first_byte_timeout',
        }),
        SILENT,
        'counted in gerbang_connections_cut_total',
      );
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 4, 5_000);
  });
}

t.test('a connection that sends its request in time is served as usual', async (t) => {
  const gw = await startTestGateway({ limits: { firstByteTimeoutMs: FIRST_BYTE_MS } });
  t.teardown(() => gw.stop());
  const socket = connect(gw.gateway.ports.http, '127.0.0.1');
  t.teardown(() => socket.destroy());
  await once(socket, 'connect');
  await new Promise((r) => setTimeout(r, FIRST_BYTE_MS / 3));
  socket.write('GET / HTTP/1.1\r\nHost: tidak-ada.paserkab.go.id\r\n\r\n');
  const [chunk] = (await once(socket, 'data')) as [Buffer];
  t.match(chunk.toString('latin1'), /^HTTP\/1\.1 404 /, 'answered');
  // Past the first-byte deadline the kept-alive connection is judged by keepAliveTimeout only.
  await new Promise((r) => setTimeout(r, FIRST_BYTE_MS));
  socket.write('GET / HTTP/1.1\r\nHost: tidak-ada.paserkab.go.id\r\n\r\n');
  const [again] = (await once(socket, 'data')) as [Buffer];
  t.match(
    again.toString('latin1'),
    /^HTTP\/1\.1 404 /,
    'a second request on the same connection is answered',
  );
});
