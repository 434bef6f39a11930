import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import t from 'tap';
import { http } from '../helpers/http.js';
import { proxiedHost } from '../helpers/proxied-host.js';

const CHUNK = Buffer.alloc(4 * 1024, 'unggah-');
const CHUNKS = 30;
const EVERY_MS = 100;

/** 120 KB at 40 KB/s: slow, but far above the minimum rate the test sets (10 KB/s), over three seconds. */
function steadyUpload(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= CHUNKS) return void this.push(null);
      sent++;
      setTimeout(() => this.push(CHUNK), EVERY_MS);
    },
  });
}

t.test(
  'an upload that is slow but steady goes through whole, longer than the idle timeout and grace',
  async (t) => {
    const { gw } = await proxiedHost(
      t,
      'unggah.paserkab.go.id',
      (req, res) => {
        const hash = createHash('sha256');
        let bytes = 0;
        req.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          hash.update(chunk);
        });
        req.on('end', () => res.end(JSON.stringify({ bytes, digest: hash.digest('hex') })));
      },
      {
        gateway: {
          limits: { requestBodyIdleTimeoutMs: 500, requestBodyGraceMs: 500, requestBodyMinBytesPerS: 10_000 },
        },
      },
    );
    const expected = createHash('sha256');
    for (let i = 0; i < CHUNKS; i++) expected.update(CHUNK);
    const started = Date.now();
    const res = await http(`${gw.url}/unggah`, {
      method: 'POST',
      host: 'unggah.paserkab.go.id',
      headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      body: steadyUpload(),
      timeoutMs: 20_000,
    });
    t.ok(Date.now() - started > 2_000, 'the upload took seconds');
    t.equal(res.status, 200);
    t.same(
      JSON.parse(res.body),
      { bytes: CHUNK.length * CHUNKS, digest: expected.digest('hex') },
      'every byte arrived, in order',
    );
  },
);
