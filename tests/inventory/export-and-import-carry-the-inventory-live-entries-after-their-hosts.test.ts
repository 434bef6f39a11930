import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

type Entry = { id: string; state: string; name: string; host?: string };

t.test(
  'an export carries the inventory; importing it onto a fresh instance restores every entry',
  async (t) => {
    const backend = await startBackend();
    const source = await startTestGateway();
    t.teardown(async () => {
      await source.stop();
      await backend.stop();
    });
    await source.admin('PUT', '/v1/agencies/dinkes', {
      name: 'Dinkes',
      contact: 'd@x',
      owns: ['dinkes.paserkab.go.id'],
    });
    await source.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      ...simpleHost(backend.origin),
      agency: 'dinkes',
      app: { name: 'Portal Dinkes' },
    });
    await source.admin('PUT', '/v1/inventory/portal', {
      agency: 'dinkes',
      state: 'live',
      host: 'dinkes.paserkab.go.id',
    });
    await source.admin('PUT', '/v1/inventory/simpus', {
      agency: 'dinkes',
      state: 'reported',
      name: 'SIMPUS',
      url: 'http://simpus.example/',
    });
    const exported = (await source.admin('GET', '/v1/export')).body as { inventory: Entry[] };
    t.same(
      exported.inventory.map((e) => [e.id, e.state]),
      [
        ['portal', 'live'],
        ['simpus', 'reported'],
      ],
    );
    t.notOk('name' in (exported.inventory[0] as object), 'a live entry carries no copy of the app info');

    const fresh = await startTestGateway();
    t.teardown(() => fresh.stop());
    const dry = await fresh.admin('POST', '/v1/import?dryRun=true', exported);
    t.equal(dry.status, 200, JSON.stringify(dry.body));
    const planned = (dry.body as { changes: Array<{ kind: string; name: string; action: string }> }).changes;
    t.same(
      planned.filter((c) => c.kind === 'inventory').map((c) => [c.name, c.action]),
      [
        ['portal', 'create'],
        ['simpus', 'create'],
      ],
    );
    t.same(
      ((await fresh.admin('GET', '/v1/inventory')).body as { entries: Entry[] }).entries,
      [],
      'dry run applies nothing',
    );

    const bad = structuredClone(exported) as { inventory: Array<Record<string, unknown>> };
    (bad.inventory[1] as Record<string, unknown>).url = 'gopher://x/';
    const refused = await fresh.admin('POST', '/v1/import', bad);
    t.equal(refused.status, 400);
    t.match(
      (refused.body as { error: { message: string } }).error.message,
      /\/inventory\/1: .*\/url: only http and https/,
    );
    t.equal(
      ((await fresh.admin('GET', '/v1/hosts')).body as { hosts: unknown[] }).hosts.length,
      0,
      'all or nothing',
    );

    const applied = await fresh.admin('POST', '/v1/import', exported);
    t.equal(applied.status, 200, JSON.stringify(applied.body));
    const entries = ((await fresh.admin('GET', '/v1/inventory')).body as { entries: Entry[] }).entries;
    t.same(
      entries.map((e) => [e.id, e.state, e.name]),
      [
        ['portal', 'live', 'Portal Dinkes'],
        ['simpus', 'reported', 'SIMPUS'],
      ],
    );
  },
);
