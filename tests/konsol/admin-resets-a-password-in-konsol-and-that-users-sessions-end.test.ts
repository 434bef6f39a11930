import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, KonsolClient, MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const RESET_PASSWORD = 'reset-by-admin-0123';

t.test(
  "an admin resets a member's password in Konsol: the member's session ends, the new password works",
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const { memberId } = await seedUsers(gw);
    const member = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    t.equal((await member.get('/konsol/')).status, 200, 'the member is signed in');
    const admin = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    await admin.get('/konsol/admin/pengguna');

    const short = await admin.post(`/konsol/admin/pengguna/${memberId}/sandi`, { password: 'short' });
    t.equal(short.status, 400, 'a too-short password is refused as the API refuses it');
    t.match(
      short.text,
      new RegExp(`<p class="error" id="reset-${memberId}-error">/password: `),
      'beside that field',
    );
    t.equal((await member.get('/konsol/')).status, 200, 'and nothing happened to the member');

    const reset = await admin.post(`/konsol/admin/pengguna/${memberId}/sandi`, { password: RESET_PASSWORD });
    t.equal(reset.status, 303);
    const after = await admin.get(reset.headers.get('location') ?? '');
    t.match(
      after.text,
      /Kata sandi diatur ulang; semua sesi pengguna itu berakhir\./,
      'the page says it is done',
    );
    t.equal((await member.get('/konsol/')).status, 303, "the member's session has ended");

    const again = new KonsolClient(gw.adminUrl);
    t.teardown(() => again.close());
    t.equal((await again.login('budi', MEMBER_PASSWORD)).status, 401, 'the old password no longer works');
    t.equal((await again.login('budi', RESET_PASSWORD)).status, 303, 'the new one does');
    const audit = JSON.stringify((await gw.admin('GET', '/v1/audit?limit=20')).body);
    t.match(audit, /"action":"user\.reset"/, 'audited as the API audits it');
  },
);
