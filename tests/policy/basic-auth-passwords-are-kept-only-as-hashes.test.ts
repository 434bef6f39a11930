import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'simpeg.paserkab.go.id';
const PASSWORD = 'rahasia-tidak-boleh-bocor-123';

async function everyFileUnder(dir: string): Promise<string> {
  let text = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += await readFile(join(entry.parentPath, entry.name), 'latin1');
  }
  return text;
}

t.test(
  'a password sent to the admin API is kept only as a hash: host, audit, export, store, PATCH',
  async (t) => {
    const lines: Array<Record<string, unknown>> = [];
    const { gw, put } = await proxiedHost(t, HOST, undefined, {
      gateway: { logLines: lines },
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        access: { basicAuth: { users: [{ name: 'operator', password: PASSWORD }] } },
      }),
    });
    t.equal(put.status, 201);
    t.notMatch(JSON.stringify(put.body), PASSWORD, 'the PUT answer');
    t.match(JSON.stringify(put.body), /"hash":"scrypt\$/);
    // A PATCH re-sends the stored document: the hash survives it and still admits the user.
    const patched = await gw.admin('PATCH', `/v1/hosts/${HOST}`, { forceHttps: false });
    t.equal(patched.status, 200, JSON.stringify(patched.body));
    const auth = `Basic ${Buffer.from(`operator:${PASSWORD}`).toString('base64')}`;
    t.equal(
      (await rawTargetGet(gw.gateway.ports.http, HOST, '/', { headers: { authorization: auth } })).status,
      200,
    );
    for (const [what, path] of [
      ['host', `/v1/hosts/${HOST}`],
      ['audit', '/v1/audit?limit=50'],
      ['export', '/v1/export'],
    ] as const) {
      const res = await gw.admin('GET', path);
      t.equal(res.status, 200, what);
      const text = JSON.stringify(res.body);
      t.notMatch(text, PASSWORD, `${what} has no plaintext`);
      t.match(text, /scrypt\$/, `${what} keeps the hash`);
    }
    t.notMatch(await everyFileUnder(gw.stateDir), PASSWORD, 'nothing on disk');
    t.notMatch(JSON.stringify(lines), PASSWORD, 'nothing in the logs');
    t.notMatch(JSON.stringify(lines), auth.slice(6), 'nor the Authorization field');
  },
);
