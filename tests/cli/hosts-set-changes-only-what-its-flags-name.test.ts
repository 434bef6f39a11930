import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { gerbangCli } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'hosts set and hosts maintenance change only what they name; --file replaces the whole document and says so',
  async (t) => {
    const backend = await startBackend();
    const other = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
      await other.stop();
    });
    const env = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
    const doc = {
      routes: [
        { path: '/', targets: [backend.origin], healthCheck: { path: '/sehat', intervalMs: 5000 } },
        { path: '/api', targets: [backend.origin], stripPrefix: true },
      ],
      app: { name: 'Portal Dinkes', description: 'Layanan kesehatan' },
    };
    await gw.admin('PUT', `/v1/hosts/${HOST}`, doc);
    const read = async () => (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;

    const on = await gerbangCli(
      [
        'hosts',
        'maintenance',
        HOST,
        'on',
        '--message',
        'Pemeliharaan server',
        '--until',
        '2026-12-02T08:00:00Z',
      ],
      env,
    );
    t.equal(on.code, 0, on.stderr);
    t.equal(on.stdout, `maintenance on for ${HOST}\n`);
    let now = await read();
    t.same(now.routes, doc.routes, 'both routes and the health check survive maintenance on');
    t.same(now.app, doc.app, 'and the directory information');
    t.match(now.maintenance, {
      enabled: true,
      message: 'Pemeliharaan server',
      until: '2026-12-02T08:00:00Z',
    });

    const off = await gerbangCli(['hosts', 'maintenance', HOST, 'off'], env);
    t.equal(off.code, 0, off.stderr);
    t.match((await read()).maintenance, { enabled: false });

    const retarget = await gerbangCli(
      ['hosts', 'set', HOST, '--path', '/api', '--target', other.origin],
      env,
    );
    t.equal(retarget.code, 0, retarget.stderr);
    t.equal(retarget.stdout, `updated ${HOST}: routes\n`);
    now = await read();
    const routes = now.routes as Array<Record<string, unknown>>;
    t.same(routes[0], doc.routes[0], 'the route not named keeps its targets and health check');
    t.same(routes[1], { ...doc.routes[1], targets: [other.origin] }, 'the named route keeps stripPrefix');

    const renamed = await gerbangCli(['hosts', 'set', HOST, '--name', 'Dinas Kesehatan'], env);
    t.equal(renamed.code, 0, renamed.stderr);
    t.same((await read()).app, { name: 'Dinas Kesehatan', description: 'Layanan kesehatan' });

    const file = join(gw.stateDir, 'host.json');
    await writeFile(file, JSON.stringify({ routes: [{ path: '/', targets: [other.origin] }] }));
    const replaced = await gerbangCli(['hosts', 'set', HOST, '--file', file], env);
    t.equal(replaced.code, 0, replaced.stderr);
    t.equal(
      replaced.stdout,
      `replaced the whole document of ${HOST} from ${file}\n`,
      'says it replaced everything',
    );
    now = await read();
    t.equal((now.routes as unknown[]).length, 1);
    t.notOk('app' in now, 'a whole document is what --file means');

    const nothing = await gerbangCli(['hosts', 'set', HOST], env);
    t.equal(nothing.code, 2, 'nothing to change is a usage error');
    const fresh = await gerbangCli(['hosts', 'set', 'baru.paserkab.go.id', '--name', 'x'], env);
    t.equal(fresh.code, 2, 'a new host needs a target');
    t.match(fresh.stderr, /baru\.paserkab\.go\.id is new: hosts set needs --target/);
  },
);
