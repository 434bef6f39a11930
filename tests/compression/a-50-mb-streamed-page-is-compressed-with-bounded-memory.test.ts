import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { request } from 'node:http';
import { createZstdDecompress } from 'node:zlib';
import t from 'tap';
import { rssMiB } from '../helpers/attack.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { HOST } from './kit.js';

const TOTAL = 50 * 1024 * 1024;
// Text that compresses only to about 3/4 (base64 of random bytes), repeating beyond zstd's 2 MiB window: the
// client, not the compressor, sets the pace.
const TEXT = Buffer.from(randomBytes(3 * 1024 * 1024).toString('base64'));
const SLICE = 256 * 1024;

t.test(
  'a 50 MB streamed page is compressed as it streams: a paused client holds the backend back, memory stays bounded',
  async (t) => {
    let written = 0;
    const { gw } = await proxiedHost(t, HOST, async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      while (written < TOTAL) {
        const at = written % TEXT.length;
        const chunk = TEXT.subarray(at, Math.min(at + SLICE, at + TOTAL - written));
        written += chunk.length;
        if (!res.write(chunk)) await once(res, 'drain');
      }
      res.end();
    });
    const baseline = rssMiB();
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssMiB());
    }, 50);
    t.teardown(() => clearInterval(sampler));
    let writtenWhilePaused = -1;
    const result = await new Promise<{ wire: number; decoded: number; encoding: string | undefined }>(
      (resolve, reject) => {
        const target = new URL(gw.url);
        const req = request(
          {
            host: target.hostname,
            port: target.port,
            path: '/besar',
            headers: { host: HOST, 'accept-encoding': 'zstd' },
            agent: false,
            timeout: 60_000,
          },
          (res) => {
            let wire = 0;
            let decoded = 0;
            let paused = false;
            const decoder = createZstdDecompress();
            res.on('data', (c: Buffer) => {
              decoder.write(c);
              wire += c.length;
              // After the first MiB the citizen's phone stops reading for a while.
              if (!paused && wire > 1024 * 1024) {
                paused = true;
                res.pause();
                setTimeout(() => {
                  writtenWhilePaused = written;
                  res.resume();
                }, 1000);
              }
            });
            decoder.on('data', (c: Buffer) => {
              decoded += c.length;
            });
            decoder.on('end', () => resolve({ wire, decoded, encoding: res.headers['content-encoding'] }));
            decoder.on('error', reject);
            // Not piped: pipe() would resume the response on the decoder's 'drain' and end the pause.
            res.on('end', () => decoder.end());
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('client timeout')));
        req.on('error', reject);
        req.end();
      },
    );
    clearInterval(sampler);
    t.equal(result.encoding, 'zstd');
    t.equal(result.decoded, TOTAL, 'every byte arrived, decoded');
    t.ok(result.wire < TOTAL, `sent compressed: ${(result.wire / 1048576).toFixed(1)} MiB on the wire`);
    t.ok(
      writtenWhilePaused > 0 && writtenWhilePaused < 16 * 1024 * 1024,
      `while the client paused the backend could write only ${(writtenWhilePaused / 1048576).toFixed(1)} MiB of 50`,
    );
    // RSS includes the garbage of 50 MiB of socket buffers not yet collected (the identity path shows the same,
    // about 80 MiB here, 140 MiB seen in CI with four files at once): the bound is loose, the pause above is the
    // proof that nothing holds the whole body.
    const grew = peak - baseline;
    t.ok(
      grew < 192,
      `RSS grew at most ${grew.toFixed(1)} MiB while 50 MiB streamed (backend, gateway and client)`,
    );
  },
);
