import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  'deleting an agency in Konsol goes through a confirmation page, is refused while it has hosts, then revokes its tokens',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    t.equal(
      (
        await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
          ...simpleHost('http://127.0.0.1:9'),
          agency: 'disdik',
        })
      ).status,
      201,
    );
    const token = await gw.admin('POST', '/v1/tokens', { scope: 'agency:disdik', note: 'ci' });
    const secret = (token.body as { secret: string }).secret;
    const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);

    const list = await browser.get('/konsol/admin/instansi');
    t.match(
      list.text,
      /<a href="\/konsol\/admin\/instansi\/disdik\/hapus\?lang=id">/,
      'delete is a link to a confirmation page',
    );
    const confirm = await browser.get('/konsol/admin/instansi/disdik/hapus');
    t.equal(confirm.status, 200);
    t.match(confirm.text, /<form method="post" action="\/konsol\/admin\/instansi\/disdik\/hapus\?lang=id">/);
    t.equal((await gw.admin('GET', '/v1/agencies/disdik')).status, 200, 'opening it deletes nothing');

    const refused = await browser.post('/konsol/admin/instansi/disdik/hapus', {});
    t.equal(refused.status, 409, 'refused while the agency has a host, as the API refuses');
    t.match(refused.text, /CONFLICT: agency disdik still has hosts: disdik\.paserkab\.go\.id/);
    t.equal((await gw.admin('DELETE', '/v1/hosts/disdik.paserkab.go.id')).status, 204);

    const done = await browser.post('/konsol/admin/instansi/disdik/hapus', {});
    t.equal(done.status, 303);
    t.match(
      (await browser.get(done.headers.get('location') ?? '')).text,
      /Terhapus\. Perubahan sudah berlaku\./,
    );
    t.equal((await gw.admin('GET', '/v1/agencies/disdik')).status, 404, 'the agency is gone');
    const status = (
      await fetch(`${gw.adminUrl}/v1/hosts`, { headers: { authorization: `Bearer ${secret}` } })
    ).status;
    t.equal(status, 401, 'its token no longer works');
  },
);
