import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('a host is matched exactly first, then by the longest wildcard', async (t) => {
  const exact = await startBackend(echoHandler('exact'));
  const shortWild = await startBackend(echoHandler('short-wildcard'));
  const longWild = await startBackend(echoHandler('long-wildcard'));
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([exact.stop(), shortWild.stop(), longWild.stop()]);
  });

  t.equal(
    (await gw.admin('PUT', '/v1/hosts/app.dinkes.paserkab.go.id', simpleHost(exact.origin))).status,
    201,
  );
  t.equal((await gw.admin('PUT', '/v1/hosts/*.paserkab.go.id', simpleHost(shortWild.origin))).status, 201);
  t.equal(
    (await gw.admin('PUT', '/v1/hosts/*.dinkes.paserkab.go.id', simpleHost(longWild.origin))).status,
    201,
  );

  const backendOf = async (host: string) => JSON.parse((await http(`${gw.url}/`, { host })).body).backend;
  t.equal(await backendOf('app.dinkes.paserkab.go.id'), 'exact');
  t.equal(
    await backendOf('APP.Dinkes.Paserkab.go.id.:8080'),
    'exact',
    'case, port and trailing dot are ignored',
  );
  t.equal(await backendOf('x.dinkes.paserkab.go.id'), 'long-wildcard');
  t.equal(await backendOf('a.b.dinkes.paserkab.go.id'), 'long-wildcard', 'a wildcard covers deeper names');
  t.equal(await backendOf('disdik.paserkab.go.id'), 'short-wildcard');
});
