import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('X-Request-Id: a valid one is kept end to end, anything else replaced, always echoed', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));

  const kept = await http(`${gw.url}/`, {
    host: 'dinkes.paserkab.go.id',
    headers: { 'x-request-id': 'trace-abc-12345' },
  });
  t.equal(kept.headers['x-request-id'], 'trace-abc-12345', 'echoed to the client');
  t.equal(backend.seen.at(-1)!.headers['x-request-id'], 'trace-abc-12345', 'passed to the backend');

  const bad = await http(`${gw.url}/`, {
    host: 'dinkes.paserkab.go.id',
    headers: { 'x-request-id': 'has spaces <script>' },
  });
  const generated = bad.headers['x-request-id'] as string;
  t.match(generated, /^[0-9a-f-]{36}$/, 'an invalid id is replaced by a UUID');
  t.equal(backend.seen.at(-1)!.headers['x-request-id'], generated);

  const none = await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' });
  t.match(none.headers['x-request-id'], /^[0-9a-f-]{36}$/);
  t.not(none.headers['x-request-id'], generated, 'each request gets its own');
});
