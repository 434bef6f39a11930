import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { backToBaseline, openFds } from '../helpers/attack.js';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';

async function occupy(t: Test, port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return server;
}

t.test(
  'a busy public port ends the start in one line naming the listener, the address and the variable; exit 78',
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'gerbang-busy-'));
    const config = join(dir, 'gerbang.yaml');
    await writeFile(config, 'zones: [paserkab.go.id]\n');
    const port = await freePort();
    await occupy(t, port);
    const gw = await spawnGateway(
      { GERBANG_STATE_DIR: dir, GERBANG_CONFIG: config, GERBANG_HTTP_PORT: String(port) },
      { waitReady: false },
    );
    t.equal(await gw.exited, 78, 'exits with EX_CONFIG');
    const lines = gw.stderr().trim().split('\n');
    t.equal(lines.length, 1, `one line, no stack trace: ${gw.stderr()}`);
    t.match(lines[0], new RegExp(`public HTTP listener on [\\d.]+:${port}: the address is already in use`));
    t.match(lines[0], /set GERBANG_HTTP_PORT/, 'names the variable that moves it');
  },
);

t.test('a busy admin port is refused the same way, and the failed start leaves nothing open', async (t) => {
  const port = await freePort();
  await occupy(t, port);
  const fds = openFds();
  await t.rejects(startTestGateway({ config: { admin: { host: '127.0.0.1', port } } }), {
    code: 'CONFIG_INVALID',
    message: new RegExp(
      `GERBANG_ADMIN_PORT: cannot start the admin API on 127\\.0\\.0\\.1:${port}: the address is already in use.*set GERBANG_ADMIN_PORT`,
    ),
  });
  // The public listeners had started: a failed start closes them, the store and every timer again.
  await backToBaseline(t, 'open file descriptors after the failed start', openFds, fds, 2);
});
