import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

interface Directory {
  total: number;
  agencies: Array<{ id: string; services: Array<{ host: string }> }>;
  moving: Array<{ id: string; state: string; name: string; url: string; agencyName: string }>;
}

t.test(
  'the directory lists live services and, in their own section, those reported or migrating',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'dinkes@x',
      owns: ['dinkes.paserkab.go.id'],
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      ...simpleHost(backend.origin),
      agency: 'dinkes',
      app: { name: 'Portal Dinas Kesehatan' },
    });
    await gw.admin('PUT', '/v1/inventory/portal', {
      agency: 'dinkes',
      state: 'live',
      host: 'dinkes.paserkab.go.id',
    });
    await gw.admin('PUT', '/v1/inventory/simpus', {
      agency: 'dinkes',
      state: 'migrating',
      name: 'SIMPUS <Puskesmas>',
      url: 'http://simpus.dinkes-paser.example/',
    });
    await gw.admin('PUT', '/v1/inventory/sirs', {
      agency: 'dinkes',
      state: 'reported',
      name: 'Sistem Rujukan',
      url: 'http://203.0.113.7/sirs/',
    });
    await gw.admin('PUT', '/v1/inventory/lama', { agency: 'dinkes', state: 'retired', name: 'Portal 2012' });

    const json = JSON.parse(
      (await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' })).body,
    ) as Directory;
    t.equal(json.total, 1, 'the live service is the host itself, listed once');
    t.same(
      json.moving.map((m) => [m.id, m.state, m.url, m.agencyName]),
      [
        ['simpus', 'migrating', 'http://simpus.dinkes-paser.example/', 'Dinas Kesehatan'],
        ['sirs', 'reported', 'http://203.0.113.7/sirs/', 'Dinas Kesehatan'],
      ],
      'reported and migrating entries with their current address; retired ones are not listed',
    );
    const page = (await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id' })).body;
    t.match(page, /<section id="dipindahkan"><h2>Layanan yang sedang dipindahkan/);
    t.match(page, /href="http:\/\/simpus\.dinkes-paser\.example\/"/);
    t.match(page, /SIMPUS &#60;Puskesmas&#62;/, 'escaped');
    t.match(page, /Sedang dipindahkan/);
    t.notMatch(page, /Portal 2012/);

    // Moved: the entry goes live, and leaves the section at once.
    await gw.admin('DELETE', '/v1/inventory/simpus');
    const after = JSON.parse(
      (await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' })).body,
    ) as Directory;
    t.same(
      after.moving.map((m) => m.id),
      ['sirs'],
    );
    const searched = JSON.parse(
      (await http(`${gw.url}/layanan.json?q=rujukan`, { host: 'layanan.paserkab.go.id' })).body,
    ) as Directory;
    t.same(
      searched.moving.map((m) => m.id),
      ['sirs'],
      'search finds them too',
    );
  },
);
