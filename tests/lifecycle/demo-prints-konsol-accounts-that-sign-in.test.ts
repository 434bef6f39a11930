import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { spawnGateway } from '../helpers/gateway-process.js';

const admin = (url: string, method: string, path: string) =>
  fetch(url + path, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

t.test('npm run demo prints Konsol accounts, with random passwords, that sign in', async (t) => {
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-demo-users-'));
  const gw = await spawnGateway({ GERBANG_STATE_DIR: stateDir }, { entry: 'src/demo/main.ts' });
  t.teardown(() => gw.stop());
  const deadline = Date.now() + 20_000;
  while (!/Konsol: /.test(gw.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const printed = /\n {2}budi +(\S+) +agency:dinkes/.exec(gw.stderr())?.[1];
  t.ok(printed, 'the member account is printed with its password');
  t.match(gw.stderr(), /demo-admin +\S+ +admin/, 'and an admin');
  const users = (await (await admin(gw.adminUrl, 'GET', '/v1/users')).json()) as {
    users: Array<{ login: string }>;
  };
  t.same(users.users.map((u) => u.login).sort(), ['budi', 'demo-admin', 'sari'], 'created through the API');
  const page = await fetch(`${gw.adminUrl}/konsol/login`);
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const cookie = (page.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const login = await fetch(`${gw.adminUrl}/konsol/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin: gw.adminUrl, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, login: 'budi', password: printed ?? '' }).toString(),
  });
  t.equal(login.status, 303, 'the printed password signs in');
});
