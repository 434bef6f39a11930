import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('the directory says when it was updated in WITA; layanan.json keeps ISO 8601', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  const page = await http(`${gw.url}/`, { host: 'layanan.paserkab.go.id' });
  t.equal(page.status, 200);
  const shown = /Diperbarui <time datetime="([^"]+)">([^<]+)<\/time>/.exec(page.body);
  t.ok(shown, 'the update time is a <time> element');
  const iso = shown?.[1] ?? '';
  t.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'its datetime attribute is ISO 8601');
  // The same instant as Paser's clock reads it: 8 hours ahead of UTC.
  const local = new Date(Date.parse(iso) + 8 * 3600_000);
  const months = [
    'Januari',
    'Februari',
    'Maret',
    'April',
    'Mei',
    'Juni',
    'Juli',
    'Agustus',
    'September',
    'Oktober',
    'November',
    'Desember',
  ];
  const hh = String(local.getUTCHours()).padStart(2, '0');
  const mm = String(local.getUTCMinutes()).padStart(2, '0');
  t.equal(
    shown?.[2],
    `${local.getUTCDate()} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${hh}.${mm} WITA`,
  );
  t.notMatch(page.body, / UTC/, 'no UTC shown to citizens');
  const json = JSON.parse((await http(`${gw.url}/layanan.json`, { host: 'layanan.paserkab.go.id' })).body);
  t.match(json.generatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
});
