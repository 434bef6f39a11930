import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from '../konsol/konsol-client.js';

interface Report {
  changes: Array<{ kind: string; name: string; action: string; fields?: string[] }>;
}

t.test(
  'users are exported without secrets, imported as accounts that sign in only after an admin resets them',
  async (t) => {
    const source = await startTestGateway();
    t.teardown(() => source.stop());
    const { memberId } = await seedUsers(source);

    const exported = await source.admin('GET', '/v1/export');
    t.equal(exported.status, 200);
    const doc = exported.body as { users: Array<Record<string, unknown>> };
    t.same(
      doc.users.map((u) => [u.login, u.role, u.name]),
      [
        ['admin', 'admin', 'Admin DKISP'],
        ['budi', 'agency:dinkes', 'Budi Santoso'],
      ],
    );
    const text = JSON.stringify(doc);
    t.notOk(
      /scrypt|passwordHash|secret|recovery/i.test(text),
      'no hash, TOTP secret or recovery code leaves',
    );

    const agencyToken = await source.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 't' });
    const secret = (agencyToken.body as { secret: string }).secret;
    const ownExport = await source.admin('GET', '/v1/export', undefined, secret);
    t.same((ownExport.body as { users: unknown[] }).users, [], 'an agency token reads no accounts');
    const ownImport = await source.admin('POST', '/v1/import', { version: 1, users: doc.users }, secret);
    t.equal(ownImport.status, 403, 'nor writes any');

    const fresh = await startTestGateway();
    t.teardown(() => fresh.stop());
    const dry = await fresh.admin('POST', '/v1/import?dryRun=true', exported.body);
    t.equal(dry.status, 200, JSON.stringify(dry.body));
    t.same(
      (dry.body as Report).changes.filter((c) => c.kind === 'user').map((c) => [c.name, c.action]),
      [
        ['admin', 'create'],
        ['budi', 'create'],
      ],
    );
    t.same((await fresh.admin('GET', '/v1/users')).body, { users: [] }, 'a dry run creates nobody');

    const applied = await fresh.admin('POST', '/v1/import', exported.body);
    t.equal(applied.status, 200, JSON.stringify(applied.body));
    const { users } = (await fresh.admin('GET', '/v1/users')).body as {
      users: Array<{ id: string; login: string }>;
    };
    t.same(
      users.map((u) => u.login),
      ['admin', 'budi'],
    );
    t.equal(
      users.find((u) => u.login === 'budi')?.id,
      memberId,
      'the id is kept, so audit entries still match',
    );

    const konsol = new KonsolClient(fresh.adminUrl);
    t.teardown(() => konsol.close());
    t.equal((await konsol.login('budi', MEMBER_PASSWORD)).status, 401, 'the old password did not travel');
    const reset = await fresh.admin('POST', `/v1/users/${memberId}/password`, {
      password: 'a-new-password-456',
    });
    t.equal(reset.status, 200, JSON.stringify(reset.body));
    t.equal((await konsol.login('budi', 'a-new-password-456')).status, 303, 'signs in after the reset');

    const again = await fresh.admin('POST', '/v1/import?dryRun=true', exported.body);
    t.same(
      (again.body as Report).changes.filter((c) => c.kind === 'user').map((c) => c.action),
      ['unchanged', 'unchanged'],
      'importing the same file again changes no account',
    );

    const renamed = {
      version: 1,
      users: [{ name: 'Admin DKISP', login: 'admin', role: 'admin' }],
    };
    const pruned = await fresh.admin('POST', '/v1/import?prune=true', renamed);
    t.equal(pruned.status, 200, JSON.stringify(pruned.body));
    t.same(
      ((await fresh.admin('GET', '/v1/users')).body as { users: Array<{ login: string }> }).users.map(
        (u) => u.login,
      ),
      ['admin'],
      'prune removes an account the file leaves out',
    );
    t.equal((await konsol.get('/konsol/')).status, 303, 'and ends its session');
  },
);

t.test(
  'an imported user naming an agency that does not exist is refused and nothing is applied',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const res = await gw.admin('POST', '/v1/import', {
      version: 1,
      users: [
        { name: 'Sari', login: 'sari', role: 'agency:disdik' },
        { name: 'X', login: 'Not A Login', role: 'admin' },
      ],
    });
    t.equal(res.status, 400, JSON.stringify(res.body));
    const fields =
      (res.body as { error: { details?: { fields?: Array<{ path: string }> } } }).error.details?.fields ?? [];
    t.same(
      fields.map((f) => f.path),
      ['/users/0/role', '/users/1'],
    );
    t.same((await gw.admin('GET', '/v1/users')).body, { users: [] });
  },
);
