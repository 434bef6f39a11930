import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

const route = [{ path: '/', targets: ['http://127.0.0.1:9'] }];

t.test(
  'an agency token imports only its own hosts; agencies and certificates only admins import',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await gw.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinas Kesehatan',
      contact: 'a@b',
      owns: ['dinkes.paserkab.go.id'],
    });
    await gw.admin('PUT', '/v1/agencies/disdik', {
      name: 'Dinas Pendidikan',
      contact: 'c@d',
      owns: ['disdik.paserkab.go.id'],
    });
    await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
      ...simpleHost('http://127.0.0.1:9'),
      agency: 'disdik',
    });
    const secret = (
      (await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 't' })).body as { secret: string }
    ).secret;
    const asDinkes = (file: unknown, query = '') => gw.admin('POST', `/v1/import${query}`, file, secret);
    const codeOf = (res: { body: unknown }) => (res.body as { error: { code: string } }).error.code;

    const other = await asDinkes({ version: 1, hosts: [{ host: 'disdik.paserkab.go.id', routes: route }] });
    t.equal(other.status, 403);
    t.equal(codeOf(other), 'HOST_NOT_OWNED', "another agency's host is refused");
    const unowned = await asDinkes({
      version: 1,
      hosts: [{ host: 'bapenda.paserkab.go.id', routes: route }],
    });
    t.equal(codeOf(unowned), 'HOST_NOT_OWNED', 'so is a name it does not own');
    const forOther = await asDinkes({
      version: 1,
      hosts: [{ host: 'dinkes.paserkab.go.id', agency: 'disdik', routes: route }],
    });
    t.equal(codeOf(forOther), 'FORBIDDEN', 'it cannot register a host for another agency');
    const agency = await asDinkes({
      version: 1,
      agencies: [
        {
          id: 'dinkes',
          name: 'Renamed',
          contact: 'a@b',
          owns: ['dinkes.paserkab.go.id', 'bapenda.paserkab.go.id'],
        },
      ],
    });
    t.equal(codeOf(agency), 'FORBIDDEN', 'agencies are imported by admins only');
    const ca = await createTestCa();
    const pair = await ca.issue(['dinkes.paserkab.go.id']);
    const cert = await asDinkes({ version: 1, certificates: [{ host: 'dinkes.paserkab.go.id', ...pair }] });
    t.equal(codeOf(cert), 'FORBIDDEN', 'certificates (keys) are imported by admins only');
    const wildcard = await asDinkes({
      version: 1,
      hosts: [{ host: '*.dinkes.paserkab.go.id', routes: route }],
    });
    t.equal(codeOf(wildcard), 'FORBIDDEN', 'wildcards are for admins, as in the API');

    // Its own host goes in; prune removes only its own hosts, never another agency's.
    const own = await asDinkes(
      {
        version: 1,
        agencies: [
          { id: 'dinkes', name: 'Dinas Kesehatan', contact: 'a@b', owns: ['dinkes.paserkab.go.id'] },
        ],
        hosts: [{ host: 'dinkes.paserkab.go.id', routes: route }],
      },
      '?prune=true',
    );
    t.equal(own.status, 200, JSON.stringify(own.body));
    t.match(
      own.body,
      { summary: { create: 1, remove: 0, unchanged: 1 } },
      'an unchanged own agency entry is fine',
    );
    const all = (
      (await gw.admin('GET', '/v1/hosts')).body as { hosts: Array<{ host: string; agency: string }> }
    ).hosts;
    t.same(
      all.map((h) => [h.host, h.agency]).sort(),
      [
        ['dinkes.paserkab.go.id', 'dinkes'],
        ['disdik.paserkab.go.id', 'disdik'],
      ],
      "the host carries the token's agency and the other agency's host is untouched",
    );
  },
);
