import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

t.test(
  'import?dryRun=true lists what would be created, changed and removed, per agency and host, and applies nothing',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'a@b',
      owns: ['dinkes.paserkab.go.id'],
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      ...simpleHost('http://127.0.0.1:9'),
      agency: 'dinkes',
    });
    await gw.admin('PUT', '/v1/hosts/simpus.dinkes.paserkab.go.id', {
      ...simpleHost('http://127.0.0.1:9'),
      agency: 'dinkes',
    });
    await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', simpleHost('http://127.0.0.1:9'));
    const before = (await gw.admin('GET', '/v1/export')).body as Record<string, unknown>;
    const auditBefore = (await gw.admin('GET', '/v1/audit?limit=100')).body as { entries: unknown[] };

    const file = {
      version: 1,
      agencies: [
        {
          id: 'dinkes',
          name: 'Dinas Kesehatan Kabupaten Paser',
          contact: 'a@b',
          owns: ['dinkes.paserkab.go.id'],
        },
        { id: 'disdik', name: 'Dinas Pendidikan', contact: 'c@d', owns: ['disdik.paserkab.go.id'] },
      ],
      hosts: [
        {
          host: 'dinkes.paserkab.go.id',
          agency: 'dinkes',
          routes: [{ path: '/', targets: ['http://127.0.0.1:10'] }],
        },
        {
          host: 'simpus.dinkes.paserkab.go.id',
          agency: 'dinkes',
          routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }],
        },
        {
          host: 'disdik.paserkab.go.id',
          agency: 'disdik',
          routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }],
        },
      ],
    };
    const dry = await gw.admin('POST', '/v1/import?dryRun=true&prune=true', file);
    t.equal(dry.status, 200, JSON.stringify(dry.body));
    const report = dry.body as {
      dryRun: boolean;
      applied: boolean;
      changes: Array<{ kind: string; name: string; action: string; fields?: string[]; agency?: string }>;
      summary: Record<string, number>;
      byAgency: Record<string, Record<string, number>>;
    };
    t.equal(report.dryRun, true);
    t.equal(report.applied, false);
    const line = (kind: string, name: string) =>
      report.changes.find((c) => c.kind === kind && c.name === name);
    t.match(line('agency', 'dinkes'), { action: 'change', fields: ['name'] });
    t.match(line('agency', 'disdik'), { action: 'create' });
    t.match(line('host', 'dinkes.paserkab.go.id'), {
      action: 'change',
      fields: ['routes'],
      agency: 'dinkes',
    });
    t.match(line('host', 'simpus.dinkes.paserkab.go.id'), { action: 'unchanged' });
    t.match(line('host', 'disdik.paserkab.go.id'), { action: 'create', agency: 'disdik' });
    t.match(
      line('host', 'lama.paserkab.go.id'),
      { action: 'remove' },
      'prune lists what the file leaves out',
    );
    t.same(report.summary, { create: 2, change: 2, remove: 1, unchanged: 1, skipped: 0 });
    t.same(report.byAgency, {
      dinkes: { create: 0, change: 2, remove: 0 },
      disdik: { create: 2, change: 0, remove: 0 },
      '-': { create: 0, change: 0, remove: 1 },
    });

    const after = (await gw.admin('GET', '/v1/export')).body as Record<string, unknown>;
    t.same({ ...after, exportedAt: '' }, { ...before, exportedAt: '' }, 'nothing was applied');
    const auditAfter = (await gw.admin('GET', '/v1/audit?limit=100')).body as { entries: unknown[] };
    t.equal(auditAfter.entries.length, auditBefore.entries.length, 'and nothing was audited as changed');

    const noPrune = await gw.admin('POST', '/v1/import?dryRun=true', file);
    t.notOk(
      (noPrune.body as typeof report).changes.some((c) => c.action === 'remove'),
      'without prune nothing is removed',
    );
  },
);
