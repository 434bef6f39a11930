import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

t.test(
  'purging a host that is not registered is 404, not "removed: 0"; a host under a wildcard can be purged',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const missing = await gw.admin('POST', '/v1/cache/purge', { host: 'tidakada.paserkab.go.id' });
    t.equal(missing.status, 404);
    t.equal((missing.body as { error: { code: string } }).error.code, 'HOST_NOT_FOUND');

    await gw.admin('PUT', '/v1/hosts/*.dinkes.paserkab.go.id', {
      routes: [{ path: '/', targets: [backend.origin] }],
    });
    const underWildcard = await gw.admin('POST', '/v1/cache/purge', {
      host: 'puskesmas.dinkes.paserkab.go.id',
    });
    t.equal(underWildcard.status, 200, 'a name the wildcard serves has a cache to purge');
    t.match(underWildcard.body, { host: 'puskesmas.dinkes.paserkab.go.id', prefix: '/', removed: 0 });
  },
);
