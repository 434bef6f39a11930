import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost } from '../helpers/gateway.js';
import { agencyWithToken, codeOf, gatewayOn, STORE_KINDS } from './kit.js';

for (const kind of STORE_KINDS) {
  t.test(`an agency cannot touch another agency's hosts (${kind} store)`, async (t) => {
    const backend = await startBackend();
    const gw = await gatewayOn(kind);
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const dinkes = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
    const disdik = await agencyWithToken(gw, 'disdik', ['disdik.paserkab.go.id']);
    const host = simpleHost(backend.origin);

    const own = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', host, dinkes);
    t.equal(own.status, 201, 'an agency registers a name it owns');
    t.equal((own.body as { agency: string }).agency, 'dinkes', 'stamped with its agency');
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/sik.dinkes.paserkab.go.id', host, dinkes)).status,
      201,
      'and a subdomain',
    );
    // A host DKISP registered for dinkes under a name disdik owns: disdik still may not take it.
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/lama.disdik.paserkab.go.id', { ...host, agency: 'dinkes' })).status,
      201,
    );

    const auditBefore = (await gw.admin('GET', '/v1/audit?limit=1000')).body as { entries: unknown[] };
    const before = await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id');

    const attempts: Array<[string, string, string, unknown, number, string]> = [
      [
        'create under a name it does not own',
        'PUT',
        '/v1/hosts/rs.dinkes.paserkab.go.id',
        host,
        403,
        'HOST_NOT_OWNED',
      ],
      ['change', 'PUT', '/v1/hosts/dinkes.paserkab.go.id', host, 403, 'HOST_NOT_OWNED'],
      ['delete', 'DELETE', '/v1/hosts/dinkes.paserkab.go.id', undefined, 403, 'HOST_NOT_OWNED'],
      ['read', 'GET', '/v1/hosts/dinkes.paserkab.go.id', undefined, 403, 'HOST_NOT_OWNED'],
      [
        'take over a host under its own name',
        'PUT',
        '/v1/hosts/lama.disdik.paserkab.go.id',
        host,
        409,
        'HOST_TAKEN',
      ],
      [
        'delete a host under its own name registered to another',
        'DELETE',
        '/v1/hosts/lama.disdik.paserkab.go.id',
        undefined,
        403,
        'HOST_NOT_OWNED',
      ],
      [
        'register for another agency',
        'PUT',
        '/v1/hosts/baru.disdik.paserkab.go.id',
        { ...host, agency: 'dinkes' },
        403,
        'FORBIDDEN',
      ],
      ['register a wildcard', 'PUT', '/v1/hosts/*.disdik.paserkab.go.id', host, 403, 'FORBIDDEN'],
      [
        'purge its cache',
        'POST',
        '/v1/cache/purge',
        { host: 'dinkes.paserkab.go.id' },
        403,
        'HOST_NOT_OWNED',
      ],
      [
        'purge a host under its own name registered to another',
        'POST',
        '/v1/cache/purge',
        { host: 'lama.disdik.paserkab.go.id' },
        403,
        'HOST_NOT_OWNED',
      ],
      ["read another agency's audit", 'GET', '/v1/audit?agency=dinkes', undefined, 403, 'FORBIDDEN'],
      ['create a token', 'POST', '/v1/tokens', { scope: 'agency:disdik', note: 'x' }, 403, 'FORBIDDEN'],
      ['create an admin token', 'POST', '/v1/tokens', { scope: 'admin', note: 'x' }, 403, 'FORBIDDEN'],
      [
        'change an agency',
        'PUT',
        '/v1/agencies/disdik',
        { name: 'x', contact: 'x', owns: ['dinkes.paserkab.go.id'] },
        403,
        'FORBIDDEN',
      ],
      ['delete an agency', 'DELETE', '/v1/agencies/dinkes', undefined, 403, 'FORBIDDEN'],
      ['list agencies', 'GET', '/v1/agencies', undefined, 403, 'FORBIDDEN'],
    ];
    for (const [what, method, path, body, status, code] of attempts) {
      const res = await gw.admin(method, path, body, disdik);
      t.equal(res.status, status, `${what}: ${status}`);
      t.equal(codeOf(res.body), code, `${what}: ${code}`);
    }

    const listed = (await gw.admin('GET', '/v1/hosts', undefined, disdik)).body as {
      hosts: Array<{ host: string }>;
    };
    t.same(listed.hosts, [], "another agency's hosts are not listed");
    const audit = (await gw.admin('GET', '/v1/audit', undefined, disdik)).body as {
      entries: Array<{ agency: string | null; owners: string[] }>;
    };
    t.ok(
      audit.entries.every((e) => e.agency === 'disdik' || e.owners.includes('disdik')),
      'an agency reads only its own audit entries',
    );
    t.same(
      (await gw.admin('GET', '/v1/hosts/dinkes.paserkab.go.id')).body,
      before.body,
      'refused writes changed nothing',
    );
    const auditAfter = (await gw.admin('GET', '/v1/audit?limit=1000')).body as {
      entries: Array<{ action: string }>;
    };
    // Refusals are audited too (issue 13), as summaries: none of them is a change.
    const changes = auditAfter.entries.filter((e) => !e.action.endsWith('.refused'));
    t.equal(changes.length, auditBefore.entries.length, 'refused writes left no change in the audit log');
    t.ok(
      auditAfter.entries.some((e) => e.action === 'access.refused'),
      'the refused attempts are in the audit log',
    );
    t.equal(
      (await gw.admin('POST', '/v1/cache/purge', { host: 'dinkes.paserkab.go.id' }, dinkes)).status,
      200,
      'the owner purges',
    );
    t.equal(
      (await gw.admin('DELETE', '/v1/hosts/sik.dinkes.paserkab.go.id', undefined, dinkes)).status,
      204,
      'the owner deletes',
    );
  });
}
