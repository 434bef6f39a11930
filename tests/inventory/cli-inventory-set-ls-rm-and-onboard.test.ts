import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

t.test('gerbang inventory set/ls/rm and gerbang onboard <url> drive the API', async (t) => {
  const legacy = await startBackend((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', server: 'Apache/2.2.15 (CentOS)' });
    res.end('<title>Portal PPID</title>');
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await legacy.stop();
  });
  await gw.admin('PUT', '/v1/agencies/diskominfo', {
    name: 'Diskominfo',
    contact: 'k@x',
    owns: ['ppid.paserkab.go.id'],
  });
  const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };

  const set = await gerbangCli(
    [
      'inventory',
      'set',
      'ppid',
      '--agency',
      'diskominfo',
      '--state',
      'reported',
      '--name',
      'PPID',
      '--address',
      `${legacy.origin}/`,
    ],
    env,
  );
  t.equal(set.code, 0, set.stderr);
  t.match(set.stdout, /created inventory entry ppid/);
  const bad = await gerbangCli(
    ['inventory', 'set', 'x', '--agency', 'diskominfo', '--state', 'reported', '--name', 'X'],
    env,
  );
  t.equal(bad.code, 1);
  t.match(bad.stderr, /\/url: /, 'the refused field is named');
  const ls = await gerbangCli(['inventory', 'ls'], env);
  t.match(ls.stdout, /ppid\s+diskominfo\s+reported\s+PPID/);

  const onboard = await gerbangCli(['onboard', `${legacy.origin}/`, '--host', 'ppid.paserkab.go.id'], env);
  t.equal(onboard.code, 0, onboard.stderr);
  t.match(onboard.stdout, /reachable:\s+yes/);
  t.match(onboard.stdout, /title:\s+Portal PPID/);
  t.match(onboard.stdout, /leaks:\s+server: Apache\/2\.2\.15 \(CentOS\)/);
  t.match(onboard.stdout, /proposed host ppid\.paserkab\.go\.id/);
  const json = await gerbangCli(['onboard', `${legacy.origin}/`, '--json'], env);
  t.equal((JSON.parse(json.stdout) as { probe: { status: number } }).probe.status, 200);

  const rm = await gerbangCli(['inventory', 'rm', 'ppid'], env);
  t.equal(rm.code, 0);
  t.match((await gerbangCli(['inventory', 'ls'], env)).stdout, /\(none\)/);
});
