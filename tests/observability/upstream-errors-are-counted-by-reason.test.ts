import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { freePort } from '../helpers/free-port.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { scrape, sum } from '../helpers/metrics-text.js';

t.test('failed backend requests are counted by host and reason', async (t) => {
  const silent = await startBackend(() => {
    // never answers: the route's response timeout fires
  });
  const resetting = await startBackend((req) => req.socket.destroy());
  const closedPort = await freePort();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([silent.stop(), resetting.stop()]);
  });
  const put = (host: string, body: unknown) => gw.admin('PUT', `/v1/hosts/${host}`, body);
  t.equal((await put('tutup.paserkab.go.id', simpleHost(`http://127.0.0.1:${closedPort}`))).status, 201);
  t.equal(
    (await put('lambat.paserkab.go.id', simpleHost(silent.origin, { timeouts: { response: 300 } }))).status,
    201,
  );
  t.equal((await put('putus.paserkab.go.id', simpleHost(resetting.origin))).status, 201);

  t.equal((await http(`${gw.url}/`, { host: 'tutup.paserkab.go.id' })).status, 502);
  t.equal((await http(`${gw.url}/`, { host: 'lambat.paserkab.go.id' })).status, 504);
  t.equal((await http(`${gw.url}/`, { host: 'putus.paserkab.go.id' })).status, 502);

  const samples = await scrape(gw.adminUrl);
  const errors = (host: string, reason: string) =>
    sum(samples, 'gerbang_upstream_errors_total', { host, reason });
  t.equal(errors('tutup.paserkab.go.id', 'refused'), 1);
  t.equal(errors('lambat.paserkab.go.id', 'timeout'), 1);
  t.equal(errors('putus.paserkab.go.id', 'reset'), 1);
  t.equal(sum(samples, 'gerbang_requests_total', { host: 'tutup.paserkab.go.id', code: '5xx' }), 1);
});
