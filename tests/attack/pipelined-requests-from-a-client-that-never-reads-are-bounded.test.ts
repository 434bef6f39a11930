import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import {
  attackSize,
  backToBaseline,
  medianLatencyMs,
  openFds,
  rssMiB,
  trackConnections,
} from '../helpers/attack.js';
import { startBackend } from '../helpers/backend.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const PAGE = Buffer.alloc(64 * 1024, 'p');
const PIPELINED = attackSize(2000, 20_000);

t.test(
  'a client that pipelines thousands of requests and never reads makes Gerbang ask the backend for only what the socket can take',
  async (t) => {
    const { backend, gw } = await proxiedHost(t, 'pipa.paserkab.go.id', (_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/html',
        'cache-control': 'no-store',
        'content-length': PAGE.length,
      });
      res.end(PAGE);
    });
    const other = await startBackend();
    t.teardown(() => other.stop());
    await gw.admin('PUT', '/v1/hosts/lain.paserkab.go.id', {
      routes: [{ path: '/', targets: [other.origin] }],
    });
    const upstream = trackConnections(backend.server);
    const baselineLatency = await medianLatencyMs(gw.url, 'lain.paserkab.go.id');
    const fds = openFds();
    const rss = rssMiB();

    const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.pause(); // never reads a byte
    const one = `GET /halaman HTTP/1.1\r\nHost: pipa.paserkab.go.id\r\n\r\n`;
    socket.write(one.repeat(PIPELINED));
    await sleep(1500);

    const asked = backend.seen.length;
    t.ok(asked < PIPELINED / 4, `the backend was asked ${asked} times of ${PIPELINED} pipelined requests`);
    t.ok(
      rssMiB() - rss < 150,
      `memory held for the non-reader stays bounded (+${(rssMiB() - rss).toFixed(0)} MiB)`,
    );
    const during = await medianLatencyMs(gw.url, 'lain.paserkab.go.id');
    t.ok(
      during < baselineLatency * 5 + 20,
      `another host answers in ${during.toFixed(1)} ms (before: ${baselineLatency.toFixed(1)} ms)`,
    );

    socket.destroy();
    await backToBaseline(t, 'backend connections', () => upstream.open(), 0, 1);
    await backToBaseline(t, 'open file descriptors', openFds, fds, 3);
  },
);
