import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { gerbangCli } from '../helpers/cli.js';
import { simpleHost, startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

const HOST = 'dinkes.paserkab.go.id';

t.test('hosts set --compression off|on switches the host’s compression and keeps its levels', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
  const doc = { ...simpleHost(backend.origin), compression: { brotliLevel: 5 } };
  t.equal((await gw.admin('PUT', `/v1/hosts/${HOST}`, doc)).status, 201);
  const read = async () => (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;

  const off = await gerbangCli(['hosts', 'set', HOST, '--compression', 'off'], env);
  t.equal(off.code, 0, off.stderr);
  t.same((await read()).compression, { brotliLevel: 5, enabled: false }, 'off, the level kept');
  const on = await gerbangCli(['hosts', 'set', HOST, '--compression', 'on'], env);
  t.equal(on.code, 0, on.stderr);
  t.same((await read()).compression, { brotliLevel: 5, enabled: true });
  const bad = await gerbangCli(['hosts', 'set', HOST, '--compression', 'maybe'], env);
  t.not(bad.code, 0);
  t.match(bad.stderr, /--compression is on or off/);
});
