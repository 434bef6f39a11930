import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

const run = promisify(execFile);

/** Debian's curl: `-w` reports the protocol it ended up speaking, `-i` the head it got. */
async function curl(args: string[]): Promise<{ version: string; text: string }> {
  const { stdout } = await run('/usr/bin/curl', [
    '-sS',
    '-i',
    '--max-time',
    '10',
    '-w',
    '\n%{http_version}',
    ...args,
  ]);
  const cut = stdout.lastIndexOf('\n');
  return { text: stdout.slice(0, cut), version: stdout.slice(cut + 1) };
}

t.test(
  'curl --http2 speaks h2 over HTTPS, and gets HTTP/1.1 over plain HTTP with its h2c upgrade ignored',
  async (t) => {
    const backend = await startBackend((req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
      });
      res.end(`portal ${req.headers.upgrade ?? 'no-upgrade'}`);
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const ca = await createTestCa();
    const host = 'dinkes.paserkab.go.id';
    await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin));
    await gw.admin('PUT', `/v1/certificates/${host}`, await ca.issue([host]));
    const caFile = join(gw.stateDir, 'test-ca.pem');
    await writeFile(caFile, ca.certificate);
    const { https, http } = gw.gateway.ports;

    const h2 = await curl([
      '--http2',
      '--cacert',
      caFile,
      '--resolve',
      `${host}:${https}:127.0.0.1`,
      `https://${host}:${https}/`,
    ]);
    t.equal(h2.version, '2', 'curl negotiated HTTP/2');
    t.match(h2.text, /^HTTP\/2 200/);
    t.match(h2.text, /portal no-upgrade$/);
    t.notMatch(h2.text, /^(connection|keep-alive):/im, 'no connection-specific field');

    const plain = await curl([
      '--http2',
      '--resolve',
      `${host}:${http}:127.0.0.1`,
      `http://${host}:${http}/`,
    ]);
    t.equal(plain.version, '1.1', 'plain HTTP stays HTTP/1.1');
    t.match(plain.text, /^HTTP\/1\.1 200/, 'the h2c upgrade is answered, not refused');
    t.notMatch(plain.text, /101 Switching/);
    t.match(plain.text, /portal no-upgrade$/, 'the backend never saw the Upgrade');
  },
);
