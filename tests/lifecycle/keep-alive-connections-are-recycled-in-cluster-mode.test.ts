import { once } from 'node:events';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { DEFAULT_CLUSTER_MAX_REQUESTS_PER_CONNECTION } from '../../src/config/defaults.js';
import { loadConfig } from '../../src/config/load-config.js';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

t.test('a keep-alive connection is closed after limits.maxRequestsPerConnection requests', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway({ limits: { maxRequestsPerConnection: 3 } });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinsos.paserkab.go.id', simpleHost(backend.origin));

  const socket = connect(Number(new URL(gw.url).port), '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (d: Buffer) => {
    text += d.toString('latin1');
  });
  const request = 'GET / HTTP/1.1\r\nHost: dinsos.paserkab.go.id\r\n\r\n';
  for (let i = 0; i < 3; i++) {
    socket.write(request);
    while ((text.match(/HTTP\/1\.1 200/g) ?? []).length < i + 1) await new Promise((r) => setTimeout(r, 5));
  }
  // Like any HTTP/1.1 client, wrk and browsers close on `Connection: close` and open a new connection.
  socket.end();
  const heads = text.split('HTTP/1.1 ').slice(1);
  t.equal(heads.length, 3, 'three responses on the connection');
  t.notMatch(heads[0] ?? '', /connection: close/i, 'the first stays open');
  t.match(heads[2] ?? '', /connection: close/i, 'the third says it closes');
});

t.test('the limit is on by default with several workers only', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'gerbang-limit-'));
  const file = join(dir, 'gerbang.yaml');
  await writeFile(file, 'zones: [paserkab.go.id]\n');
  const base = { GERBANG_CONFIG: file, GERBANG_STATE_DIR: dir };
  t.equal(
    loadConfig({ ...base, GERBANG_WORKERS: '1' }).limits.maxRequestsPerConnection,
    0,
    'one worker: no limit',
  );
  t.equal(
    loadConfig({ ...base, GERBANG_WORKERS: '2' }).limits.maxRequestsPerConnection,
    DEFAULT_CLUSTER_MAX_REQUESTS_PER_CONNECTION,
    'two workers: connections recycled',
  );
  await writeFile(file, 'zones: [paserkab.go.id]\nlimits: { maxRequestsPerConnection: 0 }\n');
  t.equal(
    loadConfig({ ...base, GERBANG_WORKERS: '2' }).limits.maxRequestsPerConnection,
    0,
    'an explicit 0 wins',
  );
});
