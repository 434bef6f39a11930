import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

interface Listed {
  incomplete: number;
  agencies: Array<{
    id: string;
    name: string;
    services: Array<{ host: string; name: string; missing: string[] }>;
  }>;
}

t.test(
  'hosts without app information and agencies never created read as names; the JSON says what to fill in',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'dinkes@paserkab.go.id',
      owns: ['dinkes.paserkab.go.id'],
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      ...simpleHost(backend.origin),
      agency: 'dinkes',
      app: { name: 'Portal Dinas Kesehatan', contact: '0543-21000' },
    });
    // An admin may register a host for an agency id that was never created.
    const put = await gw.admin('PUT', '/v1/hosts/e-arsip.paserkab.go.id', {
      ...simpleHost(backend.origin),
      agency: 'dinas-arsip',
    });
    t.equal(put.status, 201);
    await gw.admin('PUT', '/v1/hosts/sipd-keu.paserkab.go.id', simpleHost(backend.origin));

    const json = await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' });
    const data = JSON.parse(json.body) as Listed;
    t.same(
      data.agencies.map((a) => [a.id, a.name, a.services.map((s) => [s.host, s.name, s.missing])]),
      [
        [
          'dinas-arsip',
          'Dinas Arsip',
          [['e-arsip.paserkab.go.id', 'E Arsip', ['app.name', 'app.contact', 'agency']]],
        ],
        ['dinkes', 'Dinas Kesehatan', [['dinkes.paserkab.go.id', 'Portal Dinas Kesehatan', []]]],
        [
          'lainnya',
          'Layanan lainnya',
          [['sipd-keu.paserkab.go.id', 'Sipd Keu', ['app.name', 'app.contact', 'agency']]],
        ],
      ],
    );
    t.equal(data.incomplete, 2, 'a count for admins');

    const page = await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id' });
    t.match(page.body, />E Arsip</, 'the card shows the readable name');
    t.match(page.body, /<h2><a [^>]*>Dinas Arsip<\/a><\/h2>/, 'the agency heading is readable');
    t.notMatch(page.body, />dinas-arsip</, 'never the bare id');
    t.match(page.body, /data-missing="app\.name app\.contact agency"/, 'a discreet marker for admins');
    t.notMatch(page.body, /app\.name(?![^"]*")/, 'field names only inside the attribute, not in the text');
    t.match(page.body, /e-arsip\.paserkab\.go\.id/, 'the host name is still shown under the name');
  },
);
