import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  'saving the agency form in Konsol changes name, contact and names, and keeps the quota it does not show',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const put = await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'it@paserkab.go.id',
      owns: ['dinkes.paserkab.go.id'],
      quota: { hosts: 3, routesPerHost: 5 },
    });
    t.equal(put.status, 200);
    const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    const form = await browser.get('/konsol/admin/instansi/dinkes');
    t.match(
      form.text,
      /<input id="agency-name"[^>]*value="Dinas Kesehatan"/,
      'the form shows the stored values',
    );

    const saved = await browser.post('/konsol/admin/instansi/dinkes', {
      name: 'Dinas Kesehatan Kabupaten Paser',
      contact: '0543-21000',
      owns: 'dinkes.paserkab.go.id\nsehat.paserkab.go.id',
    });
    t.equal(saved.status, 303);
    t.match(saved.headers.get('location') ?? '', /ok=saved/);
    const doc = (await gw.admin('GET', '/v1/agencies/dinkes')).body as Record<string, unknown>;
    t.equal(doc.name, 'Dinas Kesehatan Kabupaten Paser');
    t.equal(doc.contact, '0543-21000');
    t.same(doc.owns, ['dinkes.paserkab.go.id', 'sehat.paserkab.go.id']);
    t.same(doc.quota, { hosts: 3, routesPerHost: 5 }, 'the quota is as it was');
  },
);
