import { once } from 'node:events';
import { connect } from 'node:net';
import t from 'tap';
import { attackSize, backToBaseline, openFds, trackConnections } from '../helpers/attack.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'pengaduan.paserkab.go.id';
/** Connections of the backend's pool. */
const POOL = 8;
const TRICKLERS = attackSize(24, 300);
const IDLE_MS = 800;
const GRACE_MS = 800;
const MIN_RATE = 500;
/** More than the read-ahead before a backend connection is taken (DEFAULT_REQUEST_BODY_PREFETCH_BYTES). */
const FAST_START = Buffer.alloc(100 * 1024, 'a');

type Style = 'trickle' | 'silent' | 'fast-then-stall';

interface Attacker {
  answer: Promise<string>;
  stop(): void;
}

/**
 * A POST announcing a large body, from its own loopback address (so the per-address cap is not what stops it):
 * then one byte every 300 ms (under the idle timeout, far under the minimum rate), nothing at all, or 100 KB at
 * once and then nothing.
 */
async function attacker(port: number, index: number, style: Style): Promise<Attacker> {
  const localAddress = `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(
    `POST /kirim HTTP/1.1\r\nHost: ${HOST}\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n`,
  );
  if (style === 'fast-then-stall') socket.write(FAST_START);
  const timer =
    style === 'trickle'
      ? setInterval(() => {
          if (!socket.destroyed) socket.write('x');
        }, 300)
      : undefined;
  let text = '';
  socket.on('data', (d: Buffer) => {
    text += d.toString('latin1');
  });
  const answer = new Promise<string>((resolve) => {
    socket.once('close', () => resolve(text.split('\r\n', 1)[0] ?? ''));
  });
  return {
    answer,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

const cases: Array<{ name: string; count: number; styles: Style[]; servedWithinMs: number }> = [
  {
    name: `${TRICKLERS} bodies that trickle or send nothing never take a backend connection`,
    count: TRICKLERS,
    styles: ['trickle', 'silent'],
    // Nothing of theirs reaches the backend: the other client is not kept waiting at all.
    servedWithinMs: 2_000,
  },
  {
    name: `${POOL} bodies that start fast and then stall are cut after the idle timeout`,
    count: POOL,
    styles: ['fast-then-stall'],
    servedWithinMs: IDLE_MS * 3,
  },
];

for (const c of cases) {
  t.test(`${c.name}: 408, the pool is free for everyone else`, async (t) => {
    let inProgress = 0;
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        inProgress++;
        res.once('close', () => inProgress--);
        if (req.method === 'POST') {
          req.resume();
          req.on('end', () => res.end('diterima'));
          return;
        }
        res.end('halaman');
      },
      {
        gateway: {
          limits: {
            backendConnections: POOL,
            maxBackendRequestsPerClient: POOL - 1,
            requestBodyIdleTimeoutMs: IDLE_MS,
            requestBodyGraceMs: GRACE_MS,
            requestBodyMinBytesPerS: MIN_RATE,
          },
        },
      },
    );
    const upstream = trackConnections(backend.server);
    t.equal((await http(`${gw.url}/`, { host: HOST })).status, 200, 'warm-up');
    await new Promise((r) => setTimeout(r, 100));
    const fdsBefore = openFds();
    const upstreamBefore = upstream.open();
    const openedBefore = upstream.total();

    const port = gw.gateway.ports.http;
    const attackers = await Promise.all(
      Array.from({ length: c.count }, (_, i) => attacker(port, i, c.styles[i % c.styles.length] as Style)),
    );
    t.teardown(() => {
      for (const a of attackers) a.stop();
    });
    await new Promise((r) => setTimeout(r, 200));

    // Another citizen, from another address, while the bodies hang.
    const started = performance.now();
    const other = await http(`${gw.url}/`, {
      host: HOST,
      localAddress: '127.0.0.2',
      timeoutMs: 10_000,
    }).catch((err: Error) => ({ status: 0, body: err.message }));
    const tookMs = performance.now() - started;
    t.equal(other.status, 200, 'another client is served');
    t.ok(tookMs < c.servedWithinMs, `within ${c.servedWithinMs} ms (${Math.round(tookMs)} ms)`);

    const answers = await Promise.race([
      Promise.all(attackers.map((a) => a.answer)),
      new Promise<string[]>((r) => setTimeout(() => r([]), 5_000)),
    ]);
    const cut = answers.filter((line) => / 408 /.test(line)).length;
    t.equal(
      cut,
      c.count,
      `every hanging body was cut with 408 and its connection closed (${cut}/${c.count})`,
    );

    const after = performance.now();
    t.equal((await http(`${gw.url}/`, { host: HOST })).status, 200, 'the backend is still served');
    t.ok(performance.now() - after < 1_500, 'promptly');
    const status = await gw.admin('GET', `/v1/status?host=${HOST}`);
    t.match(
      status.body,
      { hosts: [{ routes: [{ targets: [{ condition: 'healthy' }] }] }] },
      'cut bodies were not held against the backend',
    );
    for (const a of attackers) a.stop();
    await backToBaseline(t, 'requests in progress at the backend', () => inProgress, 0, 0, 5_000);
    if (c.styles.includes('fast-then-stall')) {
      // A cut exchange's connection is closed; undici then reopens idle ones (closed after the keep-alive time).
      t.ok(upstream.open() <= POOL, `no more backend connections than the pool (${upstream.open()})`);
    } else {
      // The other client's GET and the check after: at most one new connection, none for the bodies.
      t.ok(
        upstream.total() - openedBefore <= 1,
        `no connection was opened for the bodies (${upstream.total() - openedBefore} new)`,
      );
    }
    const idlePooled = () => 2 * Math.max(0, upstream.open() - upstreamBefore);
    await backToBaseline(
      t,
      'open fds (beyond idle pooled connections)',
      () => openFds() - idlePooled(),
      fdsBefore,
      6,
      5_000,
    );
  });
}
