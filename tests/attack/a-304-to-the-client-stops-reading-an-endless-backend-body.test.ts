import t from 'tap';
import { attackSize, backToBaseline, trackConnections } from '../helpers/attack.js';
import { closeIdleConnections, streamBody } from '../helpers/download-backend.js';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'siaran.paserkab.go.id';
const CLIENTS = attackSize(5, 100);
/** The route stores up to this much; past it nobody wants the body. */
const MAX_OBJECT_BYTES = 1024 * 1024;

t.test(
  'a client answered 304 while the backend sends an endless cacheable body: the backend connection is closed within a second',
  async (t) => {
    let written = 0;
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        // Cacheable, with a validator, chunked and without end (a live feed behind a legacy portal).
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'public, max-age=600',
          etag: '"siaran-1"',
        });
        const before = res.socket?.bytesWritten ?? 0;
        res.once('close', () => {
          written += (res.socket?.bytesWritten ?? 0) - before;
        });
        streamBody(res, undefined, 15_000);
      },
      {
        hostDoc: (origin) => ({
          routes: [{ path: '/', targets: [origin], cache: { maxObjectBytes: MAX_OBJECT_BYTES } }],
        }),
      },
    );
    t.equal(put.status, 201);
    closeIdleConnections(backend.server);
    const conns = trackConnections(backend.server);

    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        http(`${gw.url}/siaran?n=${i}`, {
          host: HOST,
          headers: { 'if-none-match': '"siaran-1"' },
          timeoutMs: 5_000,
        }),
      ),
    );
    t.equal(answers.filter((a) => a.status === 304).length, CLIENTS, 'every client has it already: 304');
    t.comment(`answered in ${(performance.now() - started).toFixed(0)} ms`);
    // Within a second of the answers every backend connection is closed: nothing reads the endless body.
    await backToBaseline(t, 'backend connections a second after the 304s', () => conns.open(), 0, 0, 1_000);
    t.comment(`the backend wrote ${(written / 1024 / 1024).toFixed(1)} MiB for ${CLIENTS} requests`);
  },
);
