import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { wordsOf } from '../compression/kit.js';
import { attackSize, backToBaseline, openFds, rssMiB, trackConnections } from '../helpers/attack.js';
import { closeIdleConnections } from '../helpers/download-backend.js';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { waitFor } from '../helpers/wait-for.js';

const IDLE_MS = 1500;
const CLIENTS = attackSize(6, 200);
// Dense text (about 0.6 under br), repeating beyond brotli's window: the client's buffers fill as with a real page.
const TEXT = wordsOf(4 * 1024 * 1024);
const HOST = 'unduh.paserkab.go.id';

t.test(
  'clients asking br for an endless compressible download and never reading free the backend after the idle timeout',
  async (t) => {
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        const started = Date.now();
        const more = (): void => {
          while (!res.destroyed) {
            if (Date.now() - started > 30_000) {
              res.destroy();
              return;
            }
            if (!res.write(TEXT)) {
              res.once('drain', more);
              return;
            }
          }
        };
        more();
      },
      {
        // All clients come from 127.0.0.1: the per-address share of a backend would 429 most of them.
        gateway: { limits: { maxBackendRequestsPerClient: 10_000 } },
        hostDoc: (origin) => ({ routes: [{ path: '/', targets: [origin], timeouts: { idle: IDLE_MS } }] }),
      },
    );
    closeIdleConnections(backend.server);
    const upstream = trackConnections(backend.server);
    const fds = openFds();
    const rss = rssMiB();

    const clients: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
      await once(socket, 'connect');
      socket.pause(); // keeps its socket open and never reads
      socket.write(`GET /arsip-${i}.txt HTTP/1.1\r\nHost: ${HOST}\r\nAccept-Encoding: br\r\n\r\n`);
      clients.push(socket);
    }
    t.teardown(() => {
      for (const c of clients) c.destroy();
    });
    await waitFor('every download under way', () => upstream.total() >= CLIENTS, attackSize(10_000, 60_000));
    const stalledAt = Date.now();
    await backToBaseline(
      t,
      'backend connections after the idle timeout, the clients still connected',
      () => upstream.open(),
      0,
      0,
      // At full size the gateway first compresses enough to fill 200 clients' socket buffers (CPU-bound).
      attackSize(IDLE_MS * 4 + 8_000, 150_000),
    );
    t.ok(
      Date.now() - stalledAt >= IDLE_MS / 2,
      `not before the clients had their idle time (freed after ${Date.now() - stalledAt} ms)`,
    );
    for (const c of clients) c.destroy();
    await backToBaseline(t, 'open file descriptors', openFds, fds, 3);
    // Loose (garbage of the streamed buffers, zlib memory malloc keeps; +211 MiB at 200 clients): a sink that
    // buffered instead of pushing back grows by gigabytes.
    await backToBaseline(
      t,
      'RSS (MiB), compressors gone',
      () => Math.round(rssMiB()),
      Math.round(rss),
      attackSize(128, 256),
      5_000,
    );
    const runs = sum(await scrape(gw.adminUrl), 'gerbang_compression_runs_total', {
      host: HOST,
      encoding: 'br',
    });
    t.equal(
      runs,
      CLIENTS,
      'every download went through a br compressor (and each was counted when it ended)',
    );
  },
);
