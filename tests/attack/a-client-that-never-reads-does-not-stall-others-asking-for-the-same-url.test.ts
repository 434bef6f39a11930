import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { attackSize } from '../helpers/attack.js';
import { streamBody } from '../helpers/download-backend.js';
import { http, rawGet } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const HOST = 'perpustakaan.paserkab.go.id';
/** Larger than what the sockets between client, Gerbang and backend can buffer. */
const FILE_BYTES = 4 * 1024 * 1024;
/** The backend takes this long before the body: the others arrive while the first request is in flight. */
const BODY_DELAY_MS = 300;
const OTHERS = attackSize(3, 50);
/** The route's response timeout: what the others used to wait for. */
const RESPONSE_MS = 8_000;

t.test(
  'citizens asking for a URL whose first requester never reads are answered at the backend’s pace, from one backend request',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/pdf',
          'cache-control': 'public, max-age=600',
          'content-length': String(FILE_BYTES),
        });
        res.flushHeaders();
        setTimeout(() => streamBody(res, FILE_BYTES), BODY_DELAY_MS);
      },
      {
        hostDoc: (origin) => ({
          routes: [{ path: '/', targets: [origin], timeouts: { response: RESPONSE_MS } }],
        }),
      },
    );
    t.equal(put.status, 201);

    // The first requester never reads a byte.
    const stalled = await rawGet(gw.url, HOST, '/laporan-tahunan.pdf');
    stalled.pause();
    stalled.on('error', () => undefined);
    t.teardown(() => stalled.destroy());
    await sleep(50);

    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: OTHERS }, () =>
        http(`${gw.url}/laporan-tahunan.pdf`, { host: HOST, discardBody: true, timeoutMs: 15_000 }).catch(
          () => ({ bytes: 0 }),
        ),
      ),
    );
    const ms = performance.now() - started;
    t.comment(`${OTHERS} other citizens answered in ${ms.toFixed(0)} ms`);
    t.equal(answers.filter((a) => a.bytes === FILE_BYTES).length, OTHERS, 'every one got the whole download');
    t.ok(
      ms < RESPONSE_MS / 2,
      `answered at the backend's pace, not the first client's (${ms.toFixed(0)} ms)`,
    );
    t.equal(backend.seen.length, 1, 'one backend request served them all');
  },
);
