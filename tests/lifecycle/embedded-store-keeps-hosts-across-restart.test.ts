import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('on the embedded store, registered hosts survive a restart', async (t) => {
  const backend = await startBackend();
  const stateDir = await mkdtemp(join(tmpdir(), 'gerbang-embedded-'));
  let gw = await startTestGateway({ stateDir });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  await gw.stop();
  gw = await startTestGateway({ stateDir });
  t.equal((await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id' })).status, 200);
  t.match((await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).body, {
    host: 'dinkes.paserkab.go.id',
    source: 'store',
  });
});
