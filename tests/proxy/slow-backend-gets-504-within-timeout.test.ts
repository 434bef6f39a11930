import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test(
  'a backend slower than the route’s response timeout gives a 504 when the timeout expires',
  async (t) => {
    const backend = await startBackend((_req, res) => {
      const timer = setTimeout(() => res.end('too late'), 5000);
      res.on('close', () => clearTimeout(timer));
    });
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [{ path: '/', targets: [backend.origin], timeouts: { response: 400 } }],
    });
    const started = Date.now();
    const res = await http(`${gw.url}/laporan`, { host: 'dinkes.paserkab.go.id' });
    const elapsed = Date.now() - started;
    t.equal(res.status, 504);
    t.match(res.body, /terlalu lama/);
    t.ok(res.headers['x-request-id']);
    t.ok(elapsed >= 350 && elapsed < 2500, `answered when the 400 ms timeout expired (${elapsed} ms)`);
  },
);
