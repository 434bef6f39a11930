import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('the only target of a route keeps taking requests whatever it answers (nginx’s rule)', async (t) => {
  let status = 503;
  const backend = await startBackend((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
    res.end(`answer ${status}`);
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', {
    routes: [{ path: '/', targets: [backend.origin] }],
  });

  const answers: number[] = [];
  for (let i = 0; i < 8; i++)
    answers.push((await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' })).status);
  t.same(
    answers,
    Array(8).fill(503),
    'the backend’s own 503s reach the client, never Gerbang’s “no healthy target”',
  );
  t.equal(backend.seen.length, 8, 'every request reached the backend');
  status = 200;
  t.equal((await http(`${gw.url}/`, { host: 'lama.paserkab.go.id' })).status, 200, 'and it recovers at once');
});
