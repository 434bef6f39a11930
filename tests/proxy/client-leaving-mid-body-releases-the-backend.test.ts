import t from 'tap';
import { rawGet } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const CHUNK = Buffer.alloc(16 * 1024, 'gerbang-');
const CHUNK_EVERY_MS = 20;

t.test(
  'a client that leaves in the middle of a download: the backend request is aborted at once',
  async (t) => {
    let backendClosed: (() => void) | undefined;
    const closed = new Promise<void>((resolve) => {
      backendClosed = resolve;
    });
    // An endless body, a chunk at a time: only the gateway letting go ends it.
    const { gw } = await proxiedHost(t, 'unduh.paserkab.go.id', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const timer = setInterval(() => res.write(CHUNK), CHUNK_EVERY_MS);
      res.on('close', () => {
        clearInterval(timer);
        backendClosed?.();
      });
    });

    const socket = await rawGet(gw.url, 'unduh.paserkab.go.id', '/berkas-besar');
    let received = 0;
    socket.on('data', (d: Buffer) => {
      received += d.length;
    });
    // Some of the body has come through: the exchange is established end to end.
    while (received < 3 * CHUNK.length) await new Promise((r) => setTimeout(r, 10));
    const leftAt = Date.now();
    socket.destroy();

    const gone = await Promise.race([
      closed.then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
    ]);
    t.ok(gone, 'the backend saw its response closed');
    t.ok(Date.now() - leftAt < 2000, 'within two seconds of the client leaving');
  },
);
