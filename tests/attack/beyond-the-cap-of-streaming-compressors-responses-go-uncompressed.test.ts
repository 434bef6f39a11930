import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { rawFetch, wordsOf } from '../compression/kit.js';
import { backToBaseline, trackConnections } from '../helpers/attack.js';
import { closeIdleConnections } from '../helpers/download-backend.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { waitFor } from '../helpers/wait-for.js';

const CAP = 3;
const STALLED = 6;
const HOST = 'berkas.paserkab.go.id';
const CHUNK = wordsOf(256 * 1024);

t.test(
  'stalled clients hold at most limits.maxCompressingResponses compressors; the responses beyond go as the backend wrote them, and compression comes back when they end',
  async (t) => {
    const { backend, gw } = await proxiedHost(
      t,
      HOST,
      (req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' });
        if (req.url === '/kecil') {
          res.end(CHUNK);
          return;
        }
        let sent = 0;
        const more = (): void => {
          while (!res.destroyed && sent < 400) {
            sent++;
            if (!res.write(CHUNK)) {
              res.once('drain', more);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        more();
      },
      {
        gateway: {
          limits: {
            maxBackendRequestsPerClient: 10_000,
            backendConnections: 10_001,
            maxCompressingResponses: CAP,
          },
        },
      },
    );
    closeIdleConnections(backend.server);
    const upstream = trackConnections(backend.server);
    const port = Number(new URL(gw.url).port);
    const clients: Socket[] = [];
    const heads: string[] = [];
    t.teardown(() => {
      for (const c of clients) c.destroy();
    });
    for (let i = 0; i < STALLED; i++) {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      let head = '';
      // Reads the head, then pauses for good: the body is never read.
      const onData = (chunk: Buffer): void => {
        head += chunk.toString('latin1');
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        heads[i] = head.slice(0, end).toLowerCase();
        socket.off('data', onData);
        socket.pause();
      };
      socket.on('data', onData);
      socket.write(`GET /laporan-${i}.html HTTP/1.1\r\nHost: ${HOST}\r\nAccept-Encoding: br, gzip\r\n\r\n`);
      clients.push(socket);
      await waitFor(`head ${i}`, () => heads[i] !== undefined, 10_000);
    }
    const encoded = heads.filter((h) => h.includes('content-encoding: br')).length;
    t.equal(encoded, CAP, `the first ${CAP} are compressed`);
    t.equal(STALLED - encoded, STALLED - CAP, 'the others go as the backend wrote them');
    t.ok(
      heads.every((h) => h.includes('vary: accept-encoding')),
      'every one says it varies on Accept-Encoding',
    );
    const meanwhile = await rawFetch(`${gw.url}/kecil`, { 'accept-encoding': 'br' }, 'GET', HOST);
    t.equal(
      meanwhile.headers['content-encoding'],
      undefined,
      'while the cap is held, a new response goes uncompressed',
    );

    for (const c of clients) c.destroy();
    await backToBaseline(t, 'backend connections', () => upstream.open(), 0, 0, 10_000);
    await waitFor(
      'compression back',
      async () =>
        (await rawFetch(`${gw.url}/kecil`, { 'accept-encoding': 'br' }, 'GET', HOST)).headers[
          'content-encoding'
        ] === 'br',
      5_000,
    );
    t.pass('once the stalled clients are gone, responses are compressed again');
  },
);
