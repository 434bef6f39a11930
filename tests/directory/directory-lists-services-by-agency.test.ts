import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test(
  'layanan.<zone> lists every registered service by agency with its status, and layanan.json the same',
  async (t) => {
    const up = await startBackend();
    const down = await startBackend();
    const downOrigin = down.origin;
    await down.stop(); // refuses connections from now on
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await up.stop();
    });
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'dinkes@paserkab.go.id',
      owns: ['dinkes.paserkab.go.id'],
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      ...simpleHost(up.origin),
      agency: 'dinkes',
      app: {
        name: 'Portal Dinas Kesehatan',
        description: 'Informasi <kesehatan> warga',
        owner: 'Bidang P2P',
        contact: '0543-21000',
        category: 'Kesehatan',
      },
    });
    await gw.admin('PUT', '/v1/hosts/simpus.dinkes.paserkab.go.id', {
      ...simpleHost(downOrigin),
      agency: 'dinkes',
      app: { name: 'SIMPUS' },
    });
    await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', {
      ...simpleHost(up.origin),
      maintenance: { enabled: true },
    });
    await gw.admin('PUT', '/v1/hosts/*.paserkab.go.id', simpleHost(up.origin));
    // Mark the refusing backend down the way real traffic would.
    t.equal((await http(`${gw.url}/`, { host: 'simpus.dinkes.paserkab.go.id' })).status, 502);

    const json = await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' });
    t.equal(json.status, 200);
    const data = JSON.parse(json.body) as {
      total: number;
      up: number;
      agencies: Array<{
        id: string;
        name: string;
        services: Array<{ host: string; name: string; status: string; url: string }>;
      }>;
    };
    t.equal(data.total, 3, 'named hosts are listed, the wildcard is not');
    t.equal(data.up, 1);
    t.same(
      data.agencies.map((a) => [a.id, a.name, a.services.map((s) => [s.host, s.name, s.status])]),
      [
        [
          'dinkes',
          'Dinas Kesehatan',
          [
            ['dinkes.paserkab.go.id', 'Portal Dinas Kesehatan', 'up'],
            ['simpus.dinkes.paserkab.go.id', 'SIMPUS', 'down'],
          ],
        ],
        // Without app information a host is named after its first label (directory-readable-names test).
        ['lainnya', 'Layanan lainnya', [['lama.paserkab.go.id', 'Lama', 'maintenance']]],
      ],
    );
    const page = await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id' });
    t.equal(page.status, 200);
    t.match(page.headers['content-type'], /text\/html/);
    t.match(page.body, /<html lang="id">/);
    t.match(page.body, /Informasi &#60;kesehatan&#62; warga/, 'app text is escaped');
    t.match(page.body, /href="\/\/dinkes\.paserkab\.go\.id\/"/);
    t.notMatch(page.body, /(src|href)="https?:\/\//, 'no external assets');
    t.equal(
      (await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id', method: 'POST', body: 'x' })).status,
      405,
    );
    t.equal(
      up.seen.filter((s) => s.headers.host === 'layanan.paserkab.go.id').length,
      0,
      'the wildcard backend never sees it',
    );
  },
);
