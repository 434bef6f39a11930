import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

t.test(
  '/konsol/inventaris: a member sees and edits own agency’s entries (errors beside fields), an admin sees all',
  async (t) => {
    const gw = await startTestGateway();
    const member = new KonsolClient(gw.adminUrl);
    const admin = new KonsolClient(gw.adminUrl);
    t.teardown(async () => {
      await member.close();
      await admin.close();
      await gw.stop();
    });
    await seedUsers(gw);
    const entry = (agency: string, name: string) => ({
      agency,
      state: 'reported',
      name,
      url: `http://${agency}.example/`,
    });
    await gw.admin('PUT', '/v1/inventory/dinkes-simpus', entry('dinkes', 'SIMPUS lama'));
    await gw.admin('PUT', '/v1/inventory/disdik-ppdb', entry('disdik', 'PPDB lama'));

    t.equal((await member.login('budi', MEMBER_PASSWORD)).status, 303);
    const list = await member.get('/konsol/inventaris');
    t.equal(list.status, 200);
    t.match(list.text, 'data-entry="dinkes-simpus"');
    t.notMatch(list.text, 'disdik-ppdb', 'another agency’s entry is not listed');
    t.match(list.text, 'href="/konsol/inventaris?lang=id"', 'the nav links to the page');
    t.equal((await member.get('/konsol/inventaris/disdik-ppdb')).status, 403, 'nor opened');

    const form = await member.get('/konsol/inventaris/dinkes-simpus');
    t.equal(form.status, 200);
    t.match(form.text, /<label for="f-url">/);
    t.match(form.text, 'value="SIMPUS lama"');
    t.notMatch(form.text, 'name="agency"', 'a member does not choose the agency');

    const bad = await member.post('/konsol/inventaris/dinkes-simpus', {
      state: 'migrating',
      name: 'SIMPUS',
      url: 'ftp://simpus.example/',
    });
    t.equal(bad.status, 400, 'the API’s refusal');
    t.match(
      bad.text,
      /<input id="f-url" name="url" value="ftp:\/\/simpus.example\/" aria-invalid="true" aria-describedby="err-url"/,
    );
    t.match(bad.text, /<p class="error" id="err-url">[^<]*url/i, 'the message sits beside the url field');

    const ok = await member.post('/konsol/inventaris/dinkes-simpus', {
      state: 'migrating',
      name: 'SIMPUS Puskesmas',
      description: 'Sistem puskesmas',
      category: 'Kesehatan',
      contact: 'it@dinkes',
      url: 'http://simpus.example/',
    });
    t.equal(ok.status, 303);
    const stored = (await gw.admin('GET', '/v1/inventory/dinkes-simpus')).body as Record<string, string>;
    t.equal(stored.state, 'migrating');
    t.equal(stored.name, 'SIMPUS Puskesmas');
    t.equal(stored.category, 'Kesehatan');
    t.equal(stored.url, 'http://simpus.example/');
    const audit = (await gw.admin('GET', '/v1/audit?limit=5')).body as { entries: Array<{ action: string }> };
    t.ok(
      audit.entries.some((a) => a.action === 'inventory.put'),
      'audited as the API audits it',
    );
    const foreign = await member.post('/konsol/inventaris/disdik-ppdb', { state: 'retired', name: 'x' });
    t.equal(foreign.status, 403, 'another agency’s entry is not written');

    await admin.login('admin', ADMIN_PASSWORD);
    const all = await admin.get('/konsol/inventaris?lang=en');
    t.match(all.text, 'data-entry="dinkes-simpus"');
    t.match(all.text, 'data-entry="disdik-ppdb"', 'an admin sees every agency’s');
    t.match(all.text, 'Service inventory', 'in English with ?lang=en');
  },
);
