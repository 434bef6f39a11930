import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('502 and maintenance pages of a host with a contact name it (escaped) and link onward', async (t) => {
  const up = await startBackend();
  const down = await startBackend();
  const downOrigin = down.origin;
  await down.stop(); // refuses connections from now on
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await up.stop();
  });
  const port = gw.gateway.ports.http;
  const app = {
    name: 'SIMPUS',
    owner: 'Dinas <Kesehatan>',
    contact: 'WA 0812-000 & "simpus@paserkab.go.id"',
  };
  const routes = {
    routes: [
      { path: '/', targets: [downOrigin] },
      { path: '/ok', targets: [up.origin] },
    ],
  };
  t.equal((await gw.admin('PUT', '/v1/hosts/simpus.paserkab.go.id', { ...routes, app })).status, 201);
  t.equal(
    (await gw.admin('PUT', '/v1/hosts/tanpa.paserkab.go.id', simpleHost(downOrigin))).status,
    201,
    'a host without app information',
  );

  const contact =
    /Butuh bantuan\? Hubungi Dinas &#60;Kesehatan&#62;: <span>WA 0812-000 &#38; &#34;simpus@paserkab\.go\.id&#34;<\/span>/;
  const directory = new RegExp(`href="http://layanan\\.paserkab\\.go\\.id:${port}/"`);

  const badGateway = await http(`${gw.url}/`, { host: 'simpus.paserkab.go.id' });
  t.equal(badGateway.status, 502);
  t.match(badGateway.body, contact, '502 names the agency contact, escaped');
  t.match(badGateway.body, directory, '502 links to the directory');
  t.notMatch(badGateway.body, /<Kesehatan>/, 'nothing of the agency’s text unescaped');

  const english = await http(`${gw.url}/`, {
    host: 'simpus.paserkab.go.id',
    headers: { 'accept-language': 'en' },
  });
  t.match(english.body, /Need help\? Contact Dinas &#60;Kesehatan&#62;: <span>WA 0812-000/);

  const other = await http(`${gw.url}/`, { host: 'tanpa.paserkab.go.id' });
  t.equal(other.status, 502);
  t.notMatch(other.body, /Butuh bantuan/, 'no contact line without a contact');
  t.match(other.body, directory, 'the directory link all the same');

  await gw.admin('PUT', '/v1/hosts/simpus.paserkab.go.id', {
    ...routes,
    app,
    maintenance: { enabled: true, message: 'Migrasi' },
  });
  const maintenance = await http(`${gw.url}/`, { host: 'simpus.paserkab.go.id' });
  t.equal(maintenance.status, 503);
  t.match(maintenance.body, contact, 'the maintenance page names the contact');
  t.match(maintenance.body, directory, 'and links to the directory');
});
