import { createHash } from 'node:crypto';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { closeSession, h2Session } from '../helpers/h2-client.js';

const CHUNK = Buffer.alloc(64 * 1024, 'gerbang-');
const DOWNLOAD_BYTES = 256 * 1024 * 1024;
/** The h2 windows (64 KiB stream, 1 MiB connection) plus socket buffers on both legs: a few MB, not the body. */
const MAX_IN_FLIGHT_BYTES = 32 * 1024 * 1024;
const UPLOAD_BYTES = 8 * 1024 * 1024;

t.test(
  'over HTTP/2 a download is held back by a client that does not read, and an upload streams through',
  async (t) => {
    let written = 0;
    let finished = false;
    const backend = await startBackend((req, res) => {
      if (req.method === 'POST') {
        const hash = createHash('sha256');
        let bytes = 0;
        req.on('data', (c: Buffer) => {
          bytes += c.length;
          hash.update(c);
        });
        req.on('end', () => res.end(`${bytes} ${hash.digest('hex')}`));
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(DOWNLOAD_BYTES),
      });
      const pump = (): void => {
        while (written < DOWNLOAD_BYTES) {
          written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        finished = true;
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'unduh.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    const session = await h2Session(gw.gateway.ports.https, host);
    t.teardown(() => closeSession(session));

    const upload = Buffer.alloc(UPLOAD_BYTES, 'unggah-');
    const uploaded = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':method': 'POST', ':path': '/unggah', ':authority': host });
      let text = '';
      stream.on('data', (c: Buffer) => {
        text += c.toString();
      });
      stream.on('end', () => resolve(text));
      stream.on('error', reject);
      // In window-sized pieces: the client's own flow control paces it against Gerbang's windows.
      let offset = 0;
      const next = (): void => {
        while (offset < upload.length) {
          const piece = upload.subarray(offset, offset + CHUNK.length);
          offset += piece.length;
          if (!stream.write(piece)) return void stream.once('drain', next);
        }
        stream.end();
      };
      next();
    });
    t.equal(
      uploaded,
      `${UPLOAD_BYTES} ${createHash('sha256').update(upload).digest('hex')}`,
      'the upload arrived whole',
    );

    const download = session.request({ ':path': '/berkas-besar', ':authority': host });
    t.teardown(() => download.close());
    await new Promise<void>((resolve) => download.once('response', () => resolve()));
    download.pause();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    t.notOk(finished, 'the backend could not finish while the client was not reading');
    t.ok(
      written < MAX_IN_FLIGHT_BYTES,
      `the backend got ${Math.round(written / 1048576)} MB out, under 32 MB`,
    );
    const before = written;
    download.resume();
    await new Promise((resolve) => setTimeout(resolve, 300));
    t.ok(written > before, 'the backend writes again once the client reads');
  },
);
