import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import t from 'tap';
import { gerbangCli as gerbang } from '../helpers/cli.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

t.test(
  'hosts set --alias, --redirect-to, --redirect, --basic-auth-user (password from the environment), --htpasswd',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const admin = { GERBANG_ADMIN_URL: gw.adminUrl, GERBANG_TOKEN: TEST_ADMIN_TOKEN };
    const host = 'dinkes.paserkab.go.id';
    const run = async (args: string[], env: Record<string, string> = {}) => {
      const res = await gerbang(['hosts', 'set', ...args], { ...admin, ...env });
      t.equal(res.code, 0, `${args.join(' ')}: ${res.stderr}`);
      return res;
    };
    // biome-ignore format: one flag per line reads better
    await run([host, '--target', 'http://127.0.0.1:9',
    '--alias', 'dinkes-paser.go.id', '--alias', 'www.dinkes-paser.go.id=serve',
    '--redirect', '/lama/=>/baru/ 301', '--redirect', '/arsip=>https://arsip.paserkab.go.id/',
    '--basic-auth-user', 'operator'], { GERBANG_BASIC_AUTH_PASSWORD: 'sandi-dari-lingkungan' });
    // A second user: the first keeps its stored hash.
    await run([host, '--basic-auth-user', 'kepala'], { GERBANG_BASIC_AUTH_PASSWORD: 'sandi-kedua-panjang' });
    const doc = (await gw.admin('GET', `/v1/hosts/${host}`)).body as Record<string, unknown>;
    t.match(doc, {
      aliases: [{ name: 'dinkes-paser.go.id' }, { name: 'www.dinkes-paser.go.id', mode: 'serve' }],
      redirects: [
        { prefix: '/lama/', to: '/baru/', status: 301 },
        { prefix: '/arsip', to: 'https://arsip.paserkab.go.id/' },
      ],
      access: {
        basicAuth: {
          users: [
            { name: 'operator', hash: /^scrypt\$/ },
            { name: 'kepala', hash: /^scrypt\$/ },
          ],
        },
      },
    });
    t.notMatch(JSON.stringify(doc), /sandi-/, 'only hashes');

    const file = join(gw.stateDir, 'portal.htpasswd');
    await writeFile(file, `budi:${bcrypt.hashSync('x', 4)}\n`);
    await run([host, '--htpasswd', file]);
    t.match((await gw.admin('GET', `/v1/hosts/${host}`)).body, {
      access: { basicAuth: { users: [{ name: 'budi' }] } },
    });
    t.equal(
      ((await gw.admin('GET', `/v1/hosts/${host}`)).body as { access: { basicAuth: { users: unknown[] } } })
        .access.basicAuth.users.length,
      1,
      'the file replaced the users',
    );

    await run(['lama.paserkab.go.id', '--redirect-to', 'https://dinkes.paserkab.go.id']);
    t.match((await gw.admin('GET', '/v1/hosts/lama.paserkab.go.id')).body, {
      redirect: { to: 'https://dinkes.paserkab.go.id' },
      routes: [],
    });
    const bad = await gerbang(['hosts', 'set', host, '--redirect', 'no-arrow'], admin);
    t.equal(bad.code, 2);
    t.match(bad.stderr, /prefix=>target/);
  },
);
