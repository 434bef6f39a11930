import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';
import { agencyWithToken } from './kit.js';

interface Entry {
  action: string;
  target: string;
  tokenId: string;
  agency: string | null;
  ip: string;
  before: { serial?: string } | null;
  after: { serial?: string; source?: string } | null;
}

t.test('certificate uploads are audited (who, before and after) and the key never is', async (t) => {
  const backend = await startBackend(echoHandler('dinkes'));
  t.teardown(() => backend.stop());
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const host = 'dinkes.paserkab.go.id';
  const token = await agencyWithToken(gw, 'dinkes', [host]);
  t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin), token)).status, 201);
  const ca = await createTestCa();
  const first = await ca.issue([host]);
  const second = await ca.issue([host]);
  const put1 = await gw.admin('PUT', `/v1/certificates/${host}`, first, token);
  t.equal(put1.status, 201);
  const put2 = await gw.admin('PUT', `/v1/certificates/${host}`, second);
  t.equal(put2.status, 200);

  const read = await gw.admin('GET', `/v1/audit?host=${host}`, undefined, token);
  t.equal(read.status, 200, 'the agency reads the entries of its host');
  const entries = (read.body as { entries: Entry[] }).entries.filter((e) => e.action === 'certificate.put');
  t.equal(entries.length, 2, 'one entry per upload');
  const [byAdmin, byAgency] = entries;
  t.match(byAgency, { target: host, agency: 'dinkes', before: null, ip: '127.0.0.1' });
  t.equal(byAgency?.after?.serial, (put1.body as { serial: string }).serial, 'after: the new serial');
  t.match(byAdmin, { target: host, agency: null, tokenId: 'bootstrap' });
  t.equal(byAdmin?.before?.serial, (put1.body as { serial: string }).serial, 'before: the replaced serial');
  t.equal(byAdmin?.after?.source, 'uploaded');
  t.notOk(JSON.stringify(read.body).includes('PRIVATE KEY'), 'no key in the audit log');
  const stored = [...(await gw.gateway.store.getAll('audit')).values()].join('\n');
  t.notOk(stored.includes('PRIVATE KEY'), 'no key in the stored entries either');
});
