import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import t from 'tap';
import { attackSize, backToBaseline, openFds } from '../helpers/attack.js';
import { startTestGateway } from '../helpers/gateway.js';
import { metricValue } from '../helpers/wait-for.js';

const CAP = 5;
/** Connections tried beyond the cap from the capped address, each expected to be closed at once. */
const BEYOND = attackSize(30, 2_000);
const AT_ONCE = 100;
const CLOSED_WITHIN_MS = 2_000;
const HOST = 'tidak-ada.paserkab.go.id';

function tcp(port: number, localAddress: string): Socket {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  return socket;
}

/** Whether the gateway closes the connection by itself within `ms` (the client never closes it). */
async function closedByGateway(socket: Socket, ms: number): Promise<boolean> {
  if (socket.closed) return true;
  return Promise.race([
    once(socket, 'close').then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), ms)),
  ]);
}

/** One request on a fresh connection from `localAddress`; resolves with the status line, or '' if closed unanswered. */
async function statusLine(port: number, localAddress: string, tls: boolean): Promise<string> {
  const socket = tls
    ? tlsConnect({ socket: tcp(port, localAddress), rejectUnauthorized: false, servername: HOST })
    : tcp(port, localAddress);
  socket.on('error', () => undefined);
  try {
    await once(socket, tls ? 'secureConnect' : 'connect');
    socket.write(`GET / HTTP/1.1\r\nHost: ${HOST}\r\nConnection: close\r\n\r\n`);
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    await closedByGateway(socket, 3_000);
    return text.split('\r\n', 1)[0] ?? '';
  } catch {
    return '';
  } finally {
    socket.destroy();
  }
}

for (const listener of ['http', 'https'] as const) {
  t.test(
    `${listener}: connection ${CAP + 1} from one address is closed, another address still gets in`,
    async (t) => {
      const gw = await startTestGateway({ limits: { maxConnectionsPerAddress: CAP } });
      t.teardown(() => gw.stop());
      const port = gw.gateway.ports[listener];
      const tls = listener === 'https';
      t.match(await statusLine(port, '127.0.0.1', tls), / 404 /, 'warm-up request answered');
      await new Promise((r) => setTimeout(r, 100));
      const fdsBefore = openFds();

      // The address takes its whole share with connections that say nothing (the first-byte timeout is long).
      const held = Array.from({ length: CAP }, () => tcp(port, '127.0.0.1'));
      t.teardown(() => {
        for (const s of held) s.destroy();
      });
      await Promise.all(held.map((s) => once(s, 'connect')));
      await new Promise((r) => setTimeout(r, 100));

      let refused = 0;
      for (let done = 0; done < BEYOND; done += AT_ONCE) {
        const batch = Array.from({ length: Math.min(AT_ONCE, BEYOND - done) }, () => tcp(port, '127.0.0.1'));
        const closed = await Promise.all(batch.map((s) => closedByGateway(s, CLOSED_WITHIN_MS)));
        refused += closed.filter(Boolean).length;
        for (const s of batch) s.destroy();
      }
      t.equal(
        refused,
        BEYOND,
        `every connection beyond ${CAP} was closed by the gateway (${refused}/${BEYOND})`,
      );
      t.ok(
        (await metricValue(gw.adminUrl, 'gerbang_connections_cut_total', {
          listener,
          reason: 'address_cap',
        })) >= BEYOND,
        'counted in gerbang_connections_cut_total',
      );
      t.notOk(
        held.some((s) => s.closed),
        'the connections within the cap stay open',
      );

      t.match(await statusLine(port, '127.0.0.2', tls), / 404 /, 'another address is served meanwhile');
      t.equal(await statusLine(port, '127.0.0.1', tls), '', 'the capped address is not');

      // A connection that ends gives its slot back.
      const first = held[0] as Socket;
      first.destroy();
      await once(first, 'close');
      await new Promise((r) => setTimeout(r, 100));
      t.match(await statusLine(port, '127.0.0.1', tls), / 404 /, 'a freed slot is usable again');

      for (const s of held) s.destroy();
      await backToBaseline(t, 'open fds', openFds, fdsBefore, 4, 5_000);
    },
  );
}
