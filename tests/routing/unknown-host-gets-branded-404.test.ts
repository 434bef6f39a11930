import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('an unknown host gets a branded page, Indonesian first, English on request', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());

  const id = await http(`${gw.url}/`, { host: 'tidakada.paserkab.go.id' });
  t.equal(id.status, 404);
  t.match(id.headers['content-type'], /text\/html/);
  t.match(id.body, /Situs tidak ditemukan/);
  t.match(id.body, /Pemerintah Kabupaten Paser/);
  t.ok(id.headers['x-request-id'], 'carries a request id');
  t.match(id.body, id.headers['x-request-id'] as string, 'the page shows the request id');
  t.notMatch(id.body, /at .*\.ts:\d+/, 'no stack trace');

  const en = await http(`${gw.url}/`, {
    host: 'nothere.example.org',
    headers: { 'accept-language': 'en-US,en;q=0.9,id;q=0.5' },
  });
  t.equal(en.status, 404);
  t.match(en.body, /Site not found/);
  t.equal(en.headers['content-language'], 'en');

  const json = await http(`${gw.url}/x`, {
    host: 'nothere.paserkab.go.id',
    headers: { accept: 'application/json' },
  });
  t.equal(json.status, 404);
  t.match(JSON.parse(json.body), { error: { code: 'HOST_NOT_FOUND' } }, 'API clients get JSON');
});
