import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { gerbangCli as gerbang } from '../helpers/cli.js';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

t.test('the gerbang CLI drives the admin API: tables, --json, API errors and exit codes', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const admin = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };

  const agency = await gerbang(
    [
      'agencies',
      'set',
      'dinkes',
      '--name',
      'Dinas Kesehatan',
      '--contact',
      'dinkes@paserkab.go.id',
      '--owns',
      'dinkes.paserkab.go.id',
    ],
    admin,
  );
  t.equal(agency.code, 0, agency.stderr);
  t.equal(agency.stdout, 'created agency dinkes\n');

  const created = await gerbang(
    ['tokens', 'create', '--scope', 'agency:dinkes', '--note', 'operator', '--json'],
    admin,
  );
  t.equal(created.code, 0, created.stderr);
  const token = JSON.parse(created.stdout) as { id: string; secret: string };
  const dinkes = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: token.secret };

  const set = await gerbang(
    ['hosts', 'set', 'dinkes.paserkab.go.id', '--target', backend.origin, '--name', 'Portal Dinkes'],
    dinkes,
  );
  t.equal(set.code, 0, set.stderr);
  t.equal(set.stdout, 'registered dinkes.paserkab.go.id\n');

  const ls = await gerbang(['hosts', 'ls'], dinkes);
  t.equal(ls.code, 0);
  t.match(ls.stdout, /^HOST\s+AGENCY\s+ROUTES/m, 'a table for people');
  t.match(ls.stdout, new RegExp(`dinkes\\.paserkab\\.go\\.id\\s+dinkes\\s+/ → ${backend.origin}`));
  const lsJson = await gerbang(['hosts', 'ls', '--json'], dinkes);
  t.equal(JSON.parse(lsJson.stdout).hosts[0].app.name, 'Portal Dinkes', '--json for scripts');

  const refused = await gerbang(
    ['hosts', 'set', 'disdik.paserkab.go.id', '--target', backend.origin],
    dinkes,
  );
  t.equal(refused.code, 1, 'an API refusal exits 1');
  t.match(refused.stderr, /HOST_NOT_OWNED: agency dinkes does not own disdik\.paserkab\.go\.id/);
  const invalid = await gerbang(
    ['hosts', 'set', 'dinkes.paserkab.go.id', '--target', 'http://169.254.169.254'],
    dinkes,
  );
  t.equal(invalid.code, 1);
  t.match(
    invalid.stderr,
    /TARGET_FORBIDDEN: \/routes\/0\/targets\/0: 169\.254\.169\.254 is a forbidden address/,
  );

  const status = await gerbang(['status'], dinkes);
  t.equal(status.code, 0, status.stderr);
  t.match(
    status.stdout,
    /^HOST\s+STATUS\s+PATH\s+TARGET\s+CONDITION/m,
    'status as a table, one row per target',
  );
  t.match(
    status.stdout,
    new RegExp(`dinkes\\.paserkab\\.go\\.id\\s+up\\s+/\\s+${backend.origin}\\s+healthy`),
  );

  const audit = await gerbang(['audit', '--host', 'dinkes.paserkab.go.id'], dinkes);
  t.equal(audit.code, 0);
  t.match(audit.stdout, /host\.put\s+dinkes\.paserkab\.go\.id/);

  const noToken = await gerbang(['hosts', 'ls'], { GERBANG_ADMIN_URL: gw.adminUrl });
  t.equal(noToken.code, 1);
  t.match(noToken.stderr, /UNAUTHORIZED: missing bearer token \(set GERBANG_TOKEN or --token\)/);

  const viaFlags = await gerbang(['agencies', 'ls', '--url', gw.adminUrl, '--token', TEST_ADMIN_TOKEN], {});
  t.equal(viaFlags.code, 0, '--url and --token work without env');
  t.match(viaFlags.stdout, /dinkes\s+Dinas Kesehatan/);

  t.equal((await gerbang(['hosts', 'frobnicate'], admin)).code, 2, 'usage error exits 2');
  t.equal((await gerbang(['hosts', 'ls', '--bogus'], admin)).code, 2, 'unknown flag exits 2');
  const closed = await freePort();
  const unreachable = await gerbang(['hosts', 'ls'], {
    ...admin,
    GERBANG_ADMIN_URL: `http://127.0.0.1:${closed}`,
  });
  t.equal(unreachable.code, 3, 'unreachable API exits 3');
  t.match(unreachable.stderr, /cannot reach .*ECONNREFUSED/);

  const rm = await gerbang(['tokens', 'rm', token.id], admin);
  t.equal(rm.code, 0);
  t.equal((await gerbang(['hosts', 'ls'], dinkes)).code, 1, 'a revoked token is refused');
});
