import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

t.test('a write that fails midway through an import undoes the steps applied before it', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', simpleHost('http://127.0.0.1:9'));
  const before = (await gw.admin('GET', '/v1/export')).body as Record<string, unknown>;
  // Another writer holds the last host's lock for longer than a write waits: that step fails with CONFLICT.
  const lock = await gw.gateway.store.tryLock('host:zzz.paserkab.go.id', 10_000);
  t.ok(lock);
  t.teardown(() => lock?.release());
  const route = [{ path: '/', targets: ['http://127.0.0.1:10'] }];
  const res = await gw.admin('POST', '/v1/import', {
    version: 1,
    agencies: [{ id: 'dinkes', name: 'Dinas Kesehatan', contact: 'a@b', owns: ['dinkes.paserkab.go.id'] }],
    hosts: [
      { host: 'dinkes.paserkab.go.id', agency: 'dinkes', routes: route },
      { host: 'lama.paserkab.go.id', routes: route },
      { host: 'zzz.paserkab.go.id', routes: route },
    ],
  });
  t.equal(res.status, 409, JSON.stringify(res.body));
  t.match(res.body, {
    error: {
      code: 'IMPORT_ROLLED_BACK',
      details: { failedAt: 'host.put zzz.paserkab.go.id', rolledBack: 3, notRestored: [] },
    },
  });
  const after = (await gw.admin('GET', '/v1/export')).body as Record<string, unknown>;
  t.same(
    { ...after, exportedAt: '' },
    { ...before, exportedAt: '' },
    'the configuration is as before the import',
  );
  const audit = (
    (await gw.admin('GET', '/v1/audit?limit=20')).body as {
      entries: Array<{ action: string; after: unknown }>;
    }
  ).entries;
  t.match(
    audit[0],
    { action: 'config.import', after: { applied: false } },
    'the failed import is summarised',
  );
});
