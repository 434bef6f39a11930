import { once } from 'node:events';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import t from 'tap';
import { attackSize, backToBaseline, openFds } from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { h2Request, h2Session } from '../helpers/h2-client.js';
import { metricValue } from '../helpers/wait-for.js';

const STALLED = attackSize(30, 300);
const DEADLINE_MS = attackSize(600, 3_000);
const PREFACE = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n';

/** An h2 connection (ALPN h2) that sends only `bytes` after the handshake, then stalls. */
async function stalled(port: number, bytes: string): Promise<{ socket: TLSSocket; closed: Promise<void> }> {
  const socket = tlsConnect({
    host: '127.0.0.1',
    port,
    rejectUnauthorized: false,
    servername: 'dinkes.paserkab.go.id',
    ALPNProtocols: ['h2'],
  });
  socket.on('error', () => undefined);
  // From the start: the first ones may be cut while the last are still being opened.
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  // Reads what the server writes (its SETTINGS, the GOAWAY): a paused socket would never see the close.
  socket.resume();
  await once(socket, 'secureConnect');
  if (bytes) socket.write(bytes);
  return { socket, closed };
}

t.test(
  'h2 sessions that send nothing, or a preface without SETTINGS, are closed; a live one is not',
  async (t) => {
    const backend = await startBackend((_req, res) => res.end('portal'));
    const gw = await startTestGateway({
      limits: {
        firstByteTimeoutMs: DEADLINE_MS,
        headersTimeoutMs: DEADLINE_MS,
        maxConnectionsPerAddress: STALLED * 3,
      },
    });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    const port = gw.gateway.ports.https;
    const fds = openFds();

    // A live HTTP/2 session outlives both deadlines: its frames count as its first bytes.
    const live = await h2Session(port, host);
    t.teardown(() => live.destroy());
    t.equal((await h2Request(live, host, '/')).status, 200);

    const opened: Array<{ socket: TLSSocket; closed: Promise<void> }> = [];
    for (let i = 0; i < STALLED; i++) opened.push(await stalled(port, i % 2 === 0 ? '' : PREFACE));
    const sockets = opened.map((o) => o.socket);
    const closed = opened.map((o) => o.closed);
    const all = await Promise.race([
      Promise.all(closed).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DEADLINE_MS * 2 + 3_000)),
    ]);
    const open = sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
    t.ok(all, `all ${STALLED} stalled connections were closed by the gateway (${open} still open)`);
    for (const s of sockets) s.destroy();

    t.equal(
      (await h2Request(live, host, '/')).status,
      200,
      'the live session still serves after the deadlines',
    );
    t.ok(
      (await metricValue(gw.adminUrl, 'gerbang_connections_cut_total', { reason: 'h2_settings_timeout' })) >=
        STALLED / 2,
      'prefaces without SETTINGS are cut by the SETTINGS deadline',
    );
    live.destroy();
    await backToBaseline(t, 'open fds', openFds, fds, 8);
  },
);
