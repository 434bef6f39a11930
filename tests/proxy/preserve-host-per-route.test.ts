import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test(
  'preserveHost is on by default (legacy vhosts need their name) and can be turned off per route',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [
        { path: '/', targets: [backend.origin] },
        { path: '/internal', targets: [backend.origin], preserveHost: false },
      ],
    });
    await http(`${gw.url}/`, { host: 'DINKES.paserkab.go.id.:1' });
    t.equal(
      backend.seen.at(-1)!.headers.host,
      `dinkes.paserkab.go.id:${gw.gateway.ports.http}`,
      'the public name as the cache keys it, with the listener’s port (not the client’s case, dot or port)',
    );
    await http(`${gw.url}/internal/x`, { host: 'dinkes.paserkab.go.id' });
    t.equal(backend.seen.at(-1)!.headers.host, `127.0.0.1:${backend.port}`, 'the target’s own address');
  },
);
