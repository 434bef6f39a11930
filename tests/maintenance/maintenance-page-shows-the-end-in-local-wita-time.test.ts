import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test(
  'the maintenance page shows its end as Paser reads it (WITA); machine-readable values stay ISO',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    // Midnight UTC is 08.00 in Paser (UTC+8) on the same day.
    const until = '2099-12-02T00:00:00.000Z';
    await gw.admin('PUT', `/v1/hosts/${host}`, {
      ...simpleHost(backend.origin),
      maintenance: { enabled: true, until },
    });
    const id = await http(`${gw.url}/`, { host });
    t.equal(id.status, 503);
    t.match(
      id.body,
      /Perkiraan selesai: <time datetime="2099-12-02T00:00:00\.000Z">2 Desember 2099 08\.00 WITA<\/time>/,
    );
    t.notMatch(id.body, /UTC/, 'no UTC shown to citizens');
    const en = await http(`${gw.url}/`, { host, headers: { 'accept-language': 'en' } });
    t.match(
      en.body,
      /Expected back: <time datetime="2099-12-02T00:00:00\.000Z">2 December 2099 08:00 WITA<\/time>/,
    );
    t.match(id.headers['retry-after'], /^\d+$/, 'Retry-After stays in seconds');
    const json = await http(`${gw.url}/`, { host, headers: { accept: 'application/json' } });
    t.equal(JSON.parse(json.body).error.until, until, 'JSON keeps ISO 8601');
  },
);

t.test('another zone is shown with its own abbreviation', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway({ env: { GERBANG_TIME_ZONE: 'Asia/Jakarta' } });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const host = 'dinkes.paserkab.go.id';
  await gw.admin('PUT', `/v1/hosts/${host}`, {
    ...simpleHost(backend.origin),
    maintenance: { enabled: true, until: '2099-12-02T00:00:00Z' },
  });
  t.match((await http(`${gw.url}/`, { host })).body, />2 Desember 2099 07\.00 WIB</);
});
