import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';

const run = promisify(execFile);

// curl sends `Expect: 100-continue` for every body over 1 MiB (and .NET's HttpClient, and PHP's curl by default).
t.test('an upload sent with Expect: 100-continue (curl -T, 2 MB) reaches the backend', async (t) => {
  const { backend, gw } = await proxiedHost(t, 'unggah.paserkab.go.id');
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-expect-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'berkas.bin');
  await writeFile(file, randomBytes(2_000_000));
  const { stdout, stderr } = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-T',
    file,
    '-H',
    'Host: unggah.paserkab.go.id',
    `http://127.0.0.1:${gw.gateway.ports.http}/unggah`,
  ]);
  t.equal(stdout, '200', `curl saw 200 ${stderr}`);
  const seen = backend.seen.at(-1);
  t.equal(seen?.method, 'PUT');
  t.equal(seen?.headers.expect, undefined, 'Expect is not passed on: Gerbang answered the 100 itself');
  t.equal(seen?.headers['content-length'], '2000000', 'the body arrives with its length');
});
