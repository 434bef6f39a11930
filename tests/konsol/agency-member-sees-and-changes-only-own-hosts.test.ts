import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

t.test(
  'Layanan saya: an agency member sees and changes only their own hosts, as /v1/hosts decides',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await seedUsers(gw);
    for (const [host, agency] of [
      ['dinkes.paserkab.go.id', 'dinkes'],
      ['disdik.paserkab.go.id', 'disdik'],
    ]) {
      t.equal(
        (await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(backend.origin), agency })).status,
        201,
      );
    }
    const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);

    const page = await browser.get('/konsol/');
    t.equal(page.status, 200);
    t.match(page.text, /dinkes\.paserkab\.go\.id/, 'their host is listed');
    t.notMatch(page.text, /disdik/, "another agency's host is not");
    t.match(page.text, new RegExp(backend.origin.replace(/[.:/]/g, '\\$&')), 'with its target');
    t.match(page.text, /data-status="up"/, 'and its health');

    const foreign = await browser.get('/konsol/hosts/disdik.paserkab.go.id');
    t.equal(foreign.status, 403, "typing another agency's host gives 403");
    t.notMatch(foreign.text, new RegExp(backend.origin.replace(/[.:/]/g, '\\$&')), 'and shows none of it');
    t.equal(
      (await browser.get('/konsol/hosts/simpus.dinkes.paserkab.go.id')).status,
      404,
      'an own, unregistered name: 404',
    );
    t.equal((await browser.get('/konsol/hosts/dinkes.paserkab.go.id')).status, 200);

    await browser.get('/konsol/');
    const toggleForeign = await browser.post('/konsol/hosts/disdik.paserkab.go.id/maintenance', {
      enabled: 'on',
    });
    t.equal(toggleForeign.status, 403, "posting to another agency's host is refused");
    const disdik = await gw.admin('GET', '/v1/hosts/disdik.paserkab.go.id');
    t.notOk(
      (disdik.body as { maintenance?: { enabled: boolean } }).maintenance?.enabled,
      'which stays untouched',
    );

    const on = await browser.post('/konsol/hosts/dinkes.paserkab.go.id/maintenance', { enabled: 'on' });
    t.equal(on.status, 303);
    const saved = await browser.get(on.headers.get('location') ?? '/konsol/');
    t.match(saved.text, /Tersimpan\. Perubahan sudah berlaku\./, 'the page says it is live');
    t.match(saved.text, /data-status="maintenance"/);
    const publicAnswer = await http(`${gw.url}/`, { headers: { host: 'dinkes.paserkab.go.id' } });
    t.equal(publicAnswer.status, 503, 'the public listener answers 503 for that host');
    const other = await http(`${gw.url}/`, { headers: { host: 'disdik.paserkab.go.id' } });
    t.equal(other.status, 200, 'the other host still routes');

    const audit = await gw.admin('GET', '/v1/audit?host=dinkes.paserkab.go.id&limit=20');
    const entry = (audit.body as { entries: Array<{ action: string; tokenId: string }> }).entries.find(
      (e) => e.action === 'host.put' && e.tokenId.startsWith('user:'),
    );
    t.ok(entry, 'the change is audited under the user');
  },
);
