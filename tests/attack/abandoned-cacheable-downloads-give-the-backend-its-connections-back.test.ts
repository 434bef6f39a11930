import { once } from 'node:events';
import t from 'tap';
import { attackSize, backToBaseline, openFds, rssMiB, trackConnections } from '../helpers/attack.js';
import { closeIdleConnections, streamBody } from '../helpers/download-backend.js';
import { http, rawGet } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'unduhan.paserkab.go.id';
/** A finite download, larger than what the sockets between client, Gerbang and backend can buffer. */
const FILE_BYTES = 4 * 1024 * 1024;
const CLIENTS = attackSize(20, 300);
const PARALLEL = 10;

t.test(
  'clients that leave a cacheable download after its first bytes leave no backend connection and no memory behind',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        if (req.url === '/ping') {
          res.writeHead(200, { 'content-length': '4' });
          res.end('pong');
          return;
        }
        const endless = req.url?.includes('endless') ?? false;
        // Cacheable: public, fresh for ten minutes, with a validator.
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'cache-control': 'public, max-age=600',
          etag: `"${req.url}"`,
          ...(endless ? {} : { 'content-length': String(FILE_BYTES) }),
        });
        streamBody(res, endless ? undefined : FILE_BYTES);
      },
      {
        gateway: {
          config: {
            cache: {
              memoryBytes: 16 * 1024 * 1024,
              maxObjectBytes: 6 * 1024 * 1024,
              redis: false,
              redisMaxObjectBytes: 0,
              redisTimeoutMs: 50,
            },
          },
        },
      },
    );
    t.equal(put.status, 201);
    closeIdleConnections(backend.server);
    const conns = trackConnections(backend.server);
    t.equal((await http(`${gw.url}/ping`, { host: HOST })).status, 200);
    await backToBaseline(t, 'backend connections before the attack', () => conns.open(), 0, 0);
    const fdsBefore = openFds();
    const rssBefore = rssMiB();

    let next = 0;
    const leaver = async (): Promise<void> => {
      while (next < CLIENTS) {
        const i = next++;
        const kind = i % 2 === 0 ? 'file' : 'endless';
        const socket = await rawGet(gw.url, HOST, `/${kind}?n=${i}`);
        // The head and the first bytes arrive, then the client goes away.
        await Promise.race([once(socket, 'data'), new Promise((r) => setTimeout(r, 5_000))]);
        socket.destroy();
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, leaver));
    t.comment(
      `after ${CLIENTS} abandoned downloads: ${conns.open()} backend connections open, rss ${rssMiB().toFixed(0)} MiB (was ${rssBefore.toFixed(0)})`,
    );

    await backToBaseline(t, 'backend connections', () => conns.open(), 0, 0, 10_000);
    const started = performance.now();
    const ping = await http(`${gw.url}/ping`, { host: HOST, timeoutMs: 5_000 });
    t.equal(ping.status, 200, 'the backend is still reachable through Gerbang');
    t.ok(performance.now() - started < 2_000, 'and answers promptly');
    await backToBaseline(t, 'open fds', openFds, fdsBefore, 10);
    // What is stored is bounded by the memory tier (16 MiB); nothing else may stay.
    await backToBaseline(t, 'rss (MiB)', rssMiB, rssBefore, 150);
  },
);
