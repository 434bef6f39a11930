import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { rawExchange } from '../helpers/http.js';

t.test('a path cannot climb out of a stripped prefix with dot segments', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    routes: [{ path: '/public', targets: [backend.origin], stripPrefix: true }],
  });
  for (const path of ['/public/../admin', '/public/%2e%2e/admin', '/public/%2E%2E%2Fadmin', '/public/%zz']) {
    t.match(
      await rawExchange(
        gw.gateway.ports.http,
        `GET ${path} HTTP/1.1\r\nHost: dinkes.paserkab.go.id\r\nConnection: close\r\n\r\n`,
      ),
      /^HTTP\/1\.1 400 /,
      path,
    );
  }
  t.equal(backend.seen.length, 0);
});
