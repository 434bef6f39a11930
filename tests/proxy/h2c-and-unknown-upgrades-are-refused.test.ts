import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/http.js';

t.test('Upgrade: h2c is refused and never reaches the backend', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  const port = gw.gateway.ports.http;

  const h2c = await rawExchange(
    port,
    'GET / HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n',
  );
  t.match(h2c, /^HTTP\/1\.1 400 /);
  t.notMatch(h2c, /101 Switching/);

  const other = await rawExchange(
    port,
    'GET / HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: Upgrade\r\nUpgrade: foo/1\r\n\r\n',
  );
  t.match(other, /^HTTP\/1\.1 400 /);
  t.equal(backend.seen.length, 0, 'nothing reached the backend');
});
