import { Readable } from 'node:stream';
import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const SIZE = 8 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'b');
/** The backend stops reading this long: much longer than the body idle timeout and grace. */
const BACKEND_PAUSE_MS = 1_500;

function fastBody(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= SIZE) return void this.push(null);
      sent += CHUNK.length;
      this.push(CHUNK);
    },
  });
}

t.test(
  'the body limits time the client only: a backend that stops reading for a while does not get the upload cut',
  async (t) => {
    const { gw } = await proxiedHost(
      t,
      'arsip.paserkab.go.id',
      (req, res) => {
        let bytes = 0;
        req.pause();
        setTimeout(() => {
          req.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
          });
          req.on('end', () => res.end(String(bytes)));
          req.resume();
        }, BACKEND_PAUSE_MS);
      },
      {
        gateway: {
          limits: {
            requestBodyIdleTimeoutMs: 300,
            requestBodyGraceMs: 300,
            requestBodyMinBytesPerS: 1_000_000,
          },
        },
      },
    );
    const res = await http(`${gw.url}/unggah`, {
      method: 'POST',
      host: 'arsip.paserkab.go.id',
      headers: { 'content-type': 'application/octet-stream', 'content-length': SIZE },
      body: fastBody(),
      timeoutMs: 20_000,
    });
    t.equal(res.status, 200, 'answered by the backend, not cut');
    t.equal(res.body, String(SIZE), 'the backend got every byte');
  },
);
