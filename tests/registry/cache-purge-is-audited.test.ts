import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { agencyWithToken } from './kit.js';

t.test('an agency purging its own cache is recorded in the audit log, visible to that agency', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  const dinkes = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
  t.equal(
    (
      await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
        agency: 'dinkes',
        ...simpleHost(backend.origin),
      })
    ).status,
    201,
  );

  const purge = await gw.admin(
    'POST',
    '/v1/cache/purge',
    { host: 'dinkes.paserkab.go.id', prefix: '/berita' },
    dinkes,
  );
  t.equal(purge.status, 200);
  const audit = (await gw.admin('GET', '/v1/audit?host=dinkes.paserkab.go.id', undefined, dinkes)).body as {
    entries: Array<{ action: string; agency: string | null; owners: string[]; after: { prefix?: string } }>;
  };
  const entry = audit.entries.find((e) => e.action === 'cache.purge');
  t.ok(entry, 'the purge is in the audit log');
  t.equal(entry?.agency, 'dinkes', 'made by the agency');
  t.same(entry?.owners, ['dinkes']);
  t.equal(entry?.after.prefix, '/berita');
});
