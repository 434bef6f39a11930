import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { agencyWithToken, gatewayOn } from './kit.js';

interface Entry {
  id: string;
  at: string;
  tokenId: string;
  agency: string | null;
  ip: string;
  action: string;
  target: string;
  before: { routes?: Array<{ targets: string[] }> } | null;
  after: { routes?: Array<{ targets: string[] }> } | null;
}

t.test(
  'every write is audited with who, what before and after, when and from where; filtered by host, agency, time',
  async (t) => {
    const gw = await gatewayOn('embedded');
    t.teardown(() => gw.stop());
    const dinkes = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
    const start = new Date().toISOString();
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost('http://127.0.0.1:9001'), dinkes);
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost('http://127.0.0.1:9002'), dinkes);
    await gw.admin('DELETE', '/v1/hosts/dinkes.paserkab.go.id');

    const all = (await gw.admin('GET', '/v1/audit')).body as { entries: Entry[] };
    t.same(
      all.entries.map((e) => e.action),
      ['host.delete', 'host.put', 'host.put', 'token.create', 'agency.put'],
      'newest first, every kind of write',
    );
    const [del, second, first, token] = all.entries as [Entry, Entry, Entry, Entry];
    t.equal(first.agency, 'dinkes', 'the agency of the caller');
    t.match(first.tokenId, /^tok_/, 'its token id');
    t.equal(del.tokenId, 'bootstrap');
    t.equal(del.agency, null, 'an admin has no agency');
    t.equal(first.ip, '127.0.0.1');
    t.equal(first.before, null);
    t.same(second.before?.routes?.[0]?.targets, ['http://127.0.0.1:9001'], 'before');
    t.same(second.after?.routes?.[0]?.targets, ['http://127.0.0.1:9002'], 'after');
    t.equal(del.after, null);
    t.notMatch(JSON.stringify(token), /gbr_|hash/, 'no secret or hash in the audit');
    t.ok(
      all.entries.every((e, i, list) => i === 0 || (list[i - 1] as Entry).id > e.id),
      'ids sort by time',
    );

    const byHost = (await gw.admin('GET', '/v1/audit?host=dinkes.paserkab.go.id')).body as {
      entries: Entry[];
    };
    t.equal(byHost.entries.length, 3);
    const mine = (await gw.admin('GET', '/v1/audit', undefined, dinkes)).body as { entries: Entry[] };
    t.same(
      mine.entries.map((e) => e.action),
      ['host.delete', 'host.put', 'host.put', 'token.create', 'agency.put'],
      'the agency sees what concerns it, also an admin delete',
    );
    const since = (await gw.admin('GET', `/v1/audit?since=${encodeURIComponent(start)}&limit=2`)).body as {
      entries: Entry[];
    };
    t.same(
      since.entries.map((e) => e.action),
      ['host.delete', 'host.put'],
      'since + limit',
    );
    const until = (await gw.admin('GET', `/v1/audit?until=${encodeURIComponent(start)}`)).body as {
      entries: Entry[];
    };
    t.ok(
      until.entries.every((e) => e.at <= start),
      'until',
    );
  },
);
