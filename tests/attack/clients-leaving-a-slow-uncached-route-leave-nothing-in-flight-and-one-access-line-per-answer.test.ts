import type { ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import {
  attackSize,
  backToBaseline,
  listenerGaugesBack,
  openFds,
  trackConnections,
} from '../helpers/attack.js';
import { proxiedHost, uncachedHost } from '../helpers/proxied-host.js';
import { metricValue, waitFor } from '../helpers/wait-for.js';

/** Clients that leave, and as many that stay for the answer, at once. */
const CLIENTS = attackSize(20, 200);
const HOST = 'lambat.paserkab.go.id';

/** Everything a client got until its connection closed (the stayers ask for `Connection: close`). */
function readAll(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    socket.on('data', (d: Buffer) => {
      out += d.toString('latin1');
    });
    socket.once('close', () => resolve(out));
  });
}

// A bodyless GET on a route without cache is taken by the raw proxied front (proxied-front.ts), not by fastify:
// its in-flight count comes from the front's arrival call, its access line from the response's 'close'.
t.test(
  'clients leaving a slow uncached route leave nothing in flight, and each answered request has one access line',
  async (t) => {
    const lines: Array<Record<string, unknown>> = [];
    const held = new Map<string, ServerResponse>();
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        held.set(req.url ?? '', res);
      },
      {
        gateway: {
          logLines: lines,
          limits: { maxConnectionsPerAddress: 10_000, backendConnections: 10_000 },
        },
        hostDoc: uncachedHost,
      },
    );
    t.teardown(() => {
      for (const res of held.values()) res.destroy();
    });
    const upstream = trackConnections(backend.server);
    // Connections undici dials in place of aborted ones (nodejs/undici#5845) close when they bring nothing.
    let idleCut = false;
    backend.server.on('connection', (socket) => {
      if (idleCut) socket.setTimeout(500, () => socket.destroy());
    });
    const fds = openFds();
    const connections = await metricValue(gw.adminUrl, 'gerbang_open_connections', { listener: 'http' });

    const leavers: Socket[] = [];
    const stayers: Array<Promise<string>> = [];
    const stayerSockets: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      // Each from its own address: the per-client cap on backend requests is not what this is about.
      for (const kind of ['pergi', 'tinggal'] as const) {
        const socket = connect({
          port: gw.gateway.ports.http,
          host: '127.0.0.1',
          localAddress: `127.0.0.${2 + (i % 200)}`,
        });
        socket.on('error', () => socket.destroy());
        const close = kind === 'tinggal' ? 'Connection: close\r\n' : '';
        socket.write(`GET /laporan/${kind}/${i} HTTP/1.1\r\nHost: ${HOST}\r\n${close}\r\n`);
        if (kind === 'pergi') leavers.push(socket);
        else {
          stayers.push(readAll(socket));
          stayerSockets.push(socket);
        }
      }
    }
    t.teardown(() => {
      for (const s of [...leavers, ...stayerSockets]) s.destroy();
    });
    await waitFor('every request at the backend', () => held.size === 2 * CLIENTS, 10_000, 20);
    t.equal(
      await metricValue(gw.adminUrl, 'gerbang_requests_in_flight', { listener: 'http' }),
      2 * CLIENTS,
      'every waiting request is counted in flight',
    );

    idleCut = true;
    for (const socket of leavers) socket.destroy();
    const stillWorked = (): number =>
      [...held].filter(
        ([url, res]) => url.includes('/pergi/') && res.socket !== null && !res.socket.destroyed,
      ).length;
    await backToBaseline(t, 'backend exchanges of clients that left', stillWorked, 0, 0, 3_000);
    await backToBaseline(
      t,
      'requests in flight once the leavers are gone',
      () => metricValue(gw.adminUrl, 'gerbang_requests_in_flight', { listener: 'http' }),
      CLIENTS,
      0,
      3_000,
    );

    for (const [url, res] of held) if (url.includes('/tinggal/')) res.end(`laporan ${url}`);
    const answers = await Promise.all(stayers);
    t.equal(
      answers.filter((a) => /^HTTP\/1\.1 200 [\s\S]*\r\n\r\nlaporan \/laporan\/tinggal\//.test(a)).length,
      CLIENTS,
      'every client that stayed got its report',
    );
    await listenerGaugesBack(t, gw.adminUrl, connections);
    await backToBaseline(t, 'backend connections', upstream.open, 0, 0, 3_000);
    await backToBaseline(t, 'open fds', openFds, fds, 4, 3_000);

    // The access lines are written when each response closes, handed over a turn later.
    const access = (kind: string) => lines.filter((l) => String(l.url).startsWith(`/laporan/${kind}/`));
    await waitFor('the access lines', () => access('tinggal').length >= CLIENTS, 3_000, 20);
    const stayed = access('tinggal');
    t.equal(new Set(stayed.map((l) => l.url)).size, CLIENTS, 'one access line for each answered request');
    t.equal(stayed.length, CLIENTS, 'and none twice');
    t.ok(
      stayed.every((l) => l.status === 200 && l.target === backend.origin),
      'each with its status and target',
    );
    await waitFor("the leavers' access lines", () => access('pergi').length >= CLIENTS, 3_000, 20);
    const left = access('pergi');
    t.equal(
      new Set(left.map((l) => l.url)).size,
      CLIENTS,
      'one access line for each request whose client left',
    );
    t.equal(left.length, CLIENTS, 'and none twice');
    t.ok(
      left.every((l) => l.status === 499 && l.error === 'CLIENT_CLOSED_REQUEST'),
      "each as nginx's 499: the client closed the request",
    );
  },
);
