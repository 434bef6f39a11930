import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { adminForms, adminPages, registryState } from './admin-forms.js';
import { ADMIN_PASSWORD, KonsolClient, MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  'an agency member opening or posting any admin page gets the 403 page and changes nothing',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const { adminId } = await seedUsers(gw);
    const token = await gw.admin('POST', '/v1/tokens', { scope: 'agency:disdik', note: 'ci' });
    t.equal(token.status, 201);
    const ids = { agency: 'disdik', user: adminId, token: (token.body as { id: string }).id };
    const before = await registryState(gw);

    const member = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    await member.get('/konsol/');
    t.notMatch(
      (await member.get('/konsol/')).text,
      /\/konsol\/admin\/(instansi|pengguna|token)/,
      'no admin links',
    );

    for (const path of adminPages(ids)) {
      const res = await member.get(path);
      t.equal(res.status, 403, `GET ${path}: 403`);
      t.match(res.text, /FORBIDDEN: this needs an admin token/, `GET ${path}: the API's refusal`);
      t.notMatch(
        res.text,
        /disdik\.paserkab\.go\.id|Admin DKISP<\/h2>/,
        `GET ${path}: nothing of the admin data`,
      );
    }
    for (const [path, form] of adminForms(ids)) {
      const res = await member.post(path, form);
      t.equal(res.status, 403, `POST ${path}: 403`);
      t.match(res.text, /FORBIDDEN/, `POST ${path}: FORBIDDEN`);
    }
    t.equal(await registryState(gw), before, 'agencies, users and tokens are as they were');
    t.equal((await member.get('/konsol/')).status, 200, "the member's own session still works");

    const admin = new KonsolClient(gw.adminUrl);
    t.teardown(() => admin.close());
    t.equal((await admin.login('admin', ADMIN_PASSWORD)).status, 303, "the admin's password was not reset");
    for (const path of adminPages(ids))
      t.equal((await admin.get(path)).status, 200, `an admin opens ${path}`);
  },
);
