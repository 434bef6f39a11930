import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test(
  'a host under maintenance answers a branded 503 with Retry-After and never reaches its backend',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost(backend.origin))).status, 201);
    t.equal((await http(`${gw.url}/`, { host })).status, 200);
    const seen = backend.seen.length;

    const until = new Date(Date.now() + 120_000).toISOString();
    const put = await gw.admin('PUT', `/v1/hosts/${host}`, {
      ...simpleHost(backend.origin),
      maintenance: { enabled: true, message: 'Migrasi server <SIMPUS>', until },
    });
    t.equal(put.status, 200);
    const res = await http(`${gw.url}/pasien?id=1`, { host });
    t.equal(res.status, 503);
    const retry = Number(res.headers['retry-after']);
    t.ok(retry > 100 && retry <= 120, `Retry-After counts down to until (${retry})`);
    t.match(res.headers['content-type'], /text\/html/);
    t.match(res.body, /Sedang dalam pemeliharaan/, 'Indonesian first');
    t.match(res.body, /Migrasi server &#60;SIMPUS&#62;/, 'the message, escaped');
    t.ok(res.headers['x-request-id']);
    const english = await http(`${gw.url}/`, { host, headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    t.match(english.body, /Under maintenance/);
    const json = await http(`${gw.url}/api`, {
      host,
      method: 'POST',
      headers: { accept: 'application/json' },
      body: '{}',
    });
    t.equal(json.status, 503);
    t.equal(JSON.parse(json.body).error.code, 'MAINTENANCE');
    t.equal(backend.seen.length, seen, 'the backend saw none of it');

    await gw.admin('PUT', `/v1/hosts/${host}`, {
      ...simpleHost(backend.origin),
      maintenance: { enabled: true },
    });
    t.equal(
      (await http(`${gw.url}/`, { host })).headers['retry-after'],
      '300',
      'without until: the default Retry-After',
    );

    await gw.admin('PUT', `/v1/hosts/${host}`, {
      ...simpleHost(backend.origin),
      maintenance: { enabled: false },
    });
    t.equal((await http(`${gw.url}/`, { host })).status, 200, 'lifting it is instant');
    t.equal(
      (
        await gw.admin('PUT', `/v1/hosts/${host}`, {
          ...simpleHost(backend.origin),
          maintenance: { enabled: true, until: 'tomorrow' },
        })
      ).status,
      400,
      'a malformed until is refused',
    );
  },
);
