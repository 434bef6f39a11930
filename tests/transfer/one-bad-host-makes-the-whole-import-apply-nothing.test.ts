import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

t.test(
  'one bad host in an import refuses the whole file, naming every bad field, and applies nothing',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const auditBefore = (await gw.admin('GET', '/v1/audit?limit=100')).body as { entries: unknown[] };
    const good = (host: string) => ({ host, routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }] });
    const file = {
      version: 1,
      agencies: [{ id: 'dinkes', name: 'Dinas Kesehatan', contact: 'a@b', owns: ['dinkes.paserkab.go.id'] }],
      hosts: [
        good('dinkes.paserkab.go.id'),
        good('disdik.paserkab.go.id'),
        // The backend policy forbids the metadata address, as PUT /v1/hosts does.
        { host: 'bapenda.paserkab.go.id', routes: [{ path: '/', targets: ['http://169.254.169.254:80'] }] },
        { host: 'dishub.paserkab.go.id', routes: [{ path: '/', tagets: ['http://127.0.0.1:9'] }] },
      ],
    };
    const res = await gw.admin('POST', '/v1/import', file);
    t.equal(res.status, 400, JSON.stringify(res.body));
    const error = (
      res.body as { error: { code: string; message: string; details: { fields: Array<{ path: string }> } } }
    ).error;
    t.equal(error.code, 'TARGET_FORBIDDEN');
    t.match(
      error.message,
      /^import refused, nothing applied: \/hosts\/2\/routes\/0\/targets\/0: .*\(and 1 more\)$/,
    );
    t.same(
      error.details.fields.map((f) => f.path),
      ['/hosts/2/routes/0/targets/0', '/hosts/3'],
    );

    const hosts = (await gw.admin('GET', '/v1/hosts')).body as { hosts: unknown[] };
    t.same(hosts.hosts, [], 'not even the good hosts were applied');
    t.same((await gw.admin('GET', '/v1/agencies')).body, { agencies: [] }, 'nor the agency');
    const auditAfter = (await gw.admin('GET', '/v1/audit?limit=100')).body as {
      entries: Array<{ action: string }>;
    };
    t.equal(auditAfter.entries.length, auditBefore.entries.length, 'no change was audited');

    // The same file without the bad hosts goes in whole, one audit entry per change plus one summary.
    const fixed = { ...file, hosts: file.hosts.slice(0, 2) };
    const ok = await gw.admin('POST', '/v1/import', fixed);
    t.equal(ok.status, 200, JSON.stringify(ok.body));
    t.equal(
      (await gw.admin('GET', '/v1/hosts')).body &&
        ((await gw.admin('GET', '/v1/hosts')).body as { hosts: unknown[] }).hosts.length,
      2,
    );
    const audit = (
      (await gw.admin('GET', '/v1/audit?limit=100')).body as { entries: Array<{ action: string }> }
    ).entries;
    t.same(
      audit
        .slice(0, 4)
        .map((e) => e.action)
        .sort(),
      ['agency.put', 'config.import', 'host.put', 'host.put'],
    );
    const again = await gw.admin('POST', '/v1/import', fixed);
    t.match(
      again.body,
      { summary: { create: 0, change: 0, unchanged: 3 } },
      'importing it again changes nothing',
    );
  },
);
