import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, KonsolClient, MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  "removing an agency removes its members' accounts and sessions; an agency re-created with that id has none",
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const { memberId } = await seedUsers(gw);
    const member = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    t.equal((await member.get('/konsol/')).status, 200, 'the member is signed in');
    const admin = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);

    t.equal((await gw.admin('DELETE', '/v1/agencies/dinkes')).status, 204);
    const users = (await gw.admin('GET', '/v1/users')).body as { users: Array<{ login: string }> };
    t.same(
      users.users.map((u) => u.login),
      ['admin'],
      "the agency's member account is gone with it",
    );
    t.equal((await member.get('/konsol/')).status, 303, "the member's session ended");
    t.equal((await admin.get('/konsol/')).status, 200, "an admin's session is not touched");
    const audit = (await gw.admin('GET', '/v1/audit?limit=20')).body as {
      entries: Array<{ action: string; target: string }>;
    };
    t.ok(
      audit.entries.some((e) => e.action === 'user.delete' && e.target === memberId),
      'the removal of the account is audited',
    );

    t.equal(
      (
        await gw.admin('PUT', '/v1/agencies/dinkes', {
          name: 'Dinas Kesehatan (baru)',
          contact: 'it@paserkab.go.id',
          owns: ['dinkes.paserkab.go.id'],
        })
      ).status,
      201,
    );
    const again = new KonsolClient(gw.adminUrl);
    t.teardown(() => again.close());
    t.equal(
      (await again.login('budi', MEMBER_PASSWORD)).status,
      401,
      'the old login does not come back with a new agency of the same id',
    );
  },
);
