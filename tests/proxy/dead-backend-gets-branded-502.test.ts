import t from 'tap';
import { freePort } from '../helpers/free-port.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('a backend that refuses connections gives a branded 502 with the request id, quickly', async (t) => {
  const deadPort = await freePort();
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(`http://127.0.0.1:${deadPort}`));

  const started = Date.now();
  const res = await http(`${gw.url}/`, {
    host: 'dinkes.paserkab.go.id',
    headers: { 'x-request-id': 'citizen-req-0001' },
  });
  t.equal(res.status, 502);
  t.match(res.body, /Layanan sedang tidak tersedia/);
  t.match(res.body, /citizen-req-0001/);
  t.equal(res.headers['x-request-id'], 'citizen-req-0001');
  t.ok(Date.now() - started < 3000, 'answered without waiting for a timeout');
});
