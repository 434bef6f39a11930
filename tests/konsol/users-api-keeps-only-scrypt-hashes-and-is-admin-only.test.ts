import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test('/v1/users: admin-only, validated, never shows or stores a password, audited', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const { memberId } = await seedUsers(gw);

  const list = await gw.admin('GET', '/v1/users');
  t.equal(list.status, 200);
  const users = (list.body as { users: Array<Record<string, unknown>> }).users;
  t.same(
    users.map((u) => [u.login, u.role]),
    [
      ['admin', 'admin'],
      ['budi', 'agency:dinkes'],
    ],
  );
  t.notOk(JSON.stringify(list.body).includes('scrypt'), 'no hash in the listing');
  t.notOk(JSON.stringify(list.body).includes(MEMBER_PASSWORD), 'no password in the listing');

  const short = await gw.admin('POST', '/v1/users', {
    name: 'X',
    login: 'x1',
    role: 'admin',
    password: 'short',
  });
  t.equal(short.status, 400);
  t.match(JSON.stringify(short.body), /password/, 'the error names the field');
  const ghost = await gw.admin('POST', '/v1/users', {
    name: 'X',
    login: 'x2',
    role: 'agency:nowhere',
    password: 'long enough password',
  });
  t.equal(ghost.status, 400);
  t.match(JSON.stringify(ghost.body), /\/role: agency nowhere does not exist/);
  const taken = await gw.admin('POST', '/v1/users', {
    name: 'Y',
    login: 'budi',
    role: 'admin',
    password: 'long enough password',
  });
  t.equal(taken.status, 409);

  const token = await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 'ci' });
  const secret = (token.body as { secret: string }).secret;
  t.equal(
    (await gw.admin('GET', '/v1/users', undefined, secret)).status,
    403,
    'an agency token may not list',
  );
  t.equal(
    (
      await gw.admin(
        'POST',
        '/v1/users',
        { name: 'Z', login: 'z1', role: 'admin', password: 'x'.repeat(20) },
        secret,
      )
    ).status,
    403,
    'nor create',
  );
  t.equal((await gw.admin('GET', '/v1/users', undefined, 'wrong')).status, 401);

  const reset = await gw.admin('POST', `/v1/users/${memberId}/password`, { password: 'a new long password' });
  t.equal(reset.status, 200);

  const own = await fetch(`${gw.adminUrl}/v1/users/me/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      login: 'budi',
      currentPassword: 'a new long password',
      newPassword: 'my own long password',
    }),
  });
  t.equal(own.status, 200, 'a user changes their own password with the current one');
  const wrong = await fetch(`${gw.adminUrl}/v1/users/me/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      login: 'budi',
      currentPassword: 'a new long password',
      newPassword: 'another long one!',
    }),
  });
  t.equal(wrong.status, 401, 'the old one no longer works');

  const audit = await gw.admin('GET', '/v1/audit?limit=50');
  const actions = (audit.body as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
  for (const action of ['user.create', 'user.reset', 'user.password']) t.ok(actions.includes(action), action);
  t.notOk(JSON.stringify(audit.body).includes('long password'), 'no password in the audit log');

  const doc = (await (await fetch(`${gw.adminUrl}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { requestBody?: unknown; responses?: unknown }>>;
  };
  t.ok(doc.paths['/v1/users']?.post?.requestBody, 'POST /v1/users is in the OpenAPI document with its body');
  t.ok(doc.paths['/v1/users/{id}']?.delete, 'and DELETE /v1/users/{id}');
  t.notMatch(
    JSON.stringify(doc.paths['/v1/users']?.get?.responses),
    /passwordHash/,
    'the listing schema has no hash',
  );

  const del = await gw.admin('DELETE', `/v1/users/${memberId}`);
  t.equal(del.status, 204);
  t.equal((await gw.admin('DELETE', `/v1/users/${memberId}`)).status, 404);

  // At rest (the state file, flushed by closing the store): a scrypt hash with its parameters, never a password.
  await gw.gateway.store.close();
  const state = await readStateText(gw.stateDir);
  t.notOk(state.includes(ADMIN_PASSWORD), 'the password is not in the state');
  t.match(state, /scrypt\$32768\$8\$1\$/, 'a scrypt hash with its parameters is');
});

async function readStateText(dir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  const parts: string[] = [];
  for (const name of await readdir(dir)) {
    try {
      parts.push(await readFile(join(dir, name), 'utf8'));
    } catch {
      // a directory
    }
  }
  return parts.join('\n');
}
