import { once } from 'node:events';
import t from 'tap';
import { rawGet } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const CHUNK = Buffer.alloc(64 * 1024, 'gerbang-');
const BODY_BYTES = 512 * 1024 * 1024;
/** Socket buffers on both legs (loopback autotuning) hold a few MB each; a proxy that buffered would hold it all. */
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
const NOT_READING_MS = 1500;

t.test(
  'a client that does not read holds the backend back: the gateway buffers at most a few socket buffers',
  async (t) => {
    let written = 0;
    let finished = false;
    // Writes as fast as its own socket lets it: how far it gets shows how much the gateway took in.
    const { gw } = await proxiedHost(t, 'unduh.paserkab.go.id', (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(BODY_BYTES),
      });
      const pump = (): void => {
        while (written < BODY_BYTES) {
          written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        finished = true;
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });

    const socket = await rawGet(gw.url, 'unduh.paserkab.go.id', '/berkas-besar');
    t.teardown(() => socket.destroy());
    await once(socket, 'data');
    socket.pause();
    await new Promise((r) => setTimeout(r, NOT_READING_MS));

    t.notOk(finished, 'the backend could not finish while the client was not reading');
    t.ok(
      written < MAX_IN_FLIGHT_BYTES,
      `the backend got ${Math.round(written / 1048576)} MB out, under 64 MB`,
    );

    // Reading again lets the exchange go on.
    const before = written;
    socket.resume();
    await new Promise((r) => setTimeout(r, 300));
    t.ok(written > before, 'the backend writes again once the client reads');
  },
);
