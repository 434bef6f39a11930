/** After FLUSHALL, two instances keep routing their hosts and alert; an admin's restore from one instance's snapshot puts hosts, agencies and tokens back, audited. */
import { Redis } from 'ioredis';
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  hostsInLastSnapshot,
  type Instance,
  lastSnapshotOf,
  suspectGauge,
  twoGatewaysOnRedis,
} from './kit-two-gateways-on-redis.js';

const AGENCY_HOST = 'dinkes.paserkab.go.id';
const ADMIN_HOST = 'disdik.paserkab.go.id';
const BOTH = [AGENCY_HOST, ADMIN_HOST].sort();

async function routes(instance: Instance, host: string): Promise<boolean> {
  return (await http(`${instance.gw.url}/`, { host })).status === 200;
}

t.test('a flushed Redis does not wipe the routing table; an admin restores it from a snapshot', async (t) => {
  const { redis, backend, a, b } = await twoGatewaysOnRedis(t);
  const raw = new Redis(redis.url);
  t.teardown(() => raw.quit());

  t.equal(
    (
      await a.gw.admin('PUT', '/v1/agencies/dinkes', {
        name: 'Dinas Kesehatan',
        contact: 'it@dinkes.paserkab.go.id',
        owns: [AGENCY_HOST],
      })
    ).status,
    201,
  );
  const token = await a.gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 'dinkes staff' });
  const secret = (token.body as { secret: string }).secret;
  t.equal(
    (await a.gw.admin('PUT', `/v1/hosts/${AGENCY_HOST}`, simpleHost(backend.origin), secret)).status,
    201,
  );
  t.equal((await a.gw.admin('PUT', `/v1/hosts/${ADMIN_HOST}`, simpleHost(backend.origin))).status, 201);
  for (const instance of [a, b]) {
    await waitFor(
      'both hosts routed',
      async () => (await routes(instance, AGENCY_HOST)) && routes(instance, ADMIN_HOST),
      15_000,
    );
    await waitFor(
      'the snapshot holds both hosts, the agency and its token',
      async () => {
        const copy = await lastSnapshotOf(instance);
        return copy.hosts.length === 2 && copy.agencies === 1 && copy.tokens === 1;
      },
      15_000,
    );
  }

  await raw.flushall();

  for (const [name, instance] of [
    ['A', a],
    ['B', b],
  ] as const) {
    await waitFor(
      `${name} raises gerbang_store_suspect_empty`,
      async () => (await suspectGauge(instance)) === 1,
      15_000,
    );
    t.ok(await routes(instance, AGENCY_HOST), `${name} still routes ${AGENCY_HOST}`);
    t.ok(await routes(instance, ADMIN_HOST), `${name} still routes ${ADMIN_HOST}`);
    t.same(await hostsInLastSnapshot(instance), BOTH, `${name} kept its last-known-good snapshot`);
    t.ok(
      instance.logLines.some((l) => l.level === 50 && l.code === 'STORE_SUSPECT_EMPTY'),
      `${name} logged an error line`,
    );
    t.equal((await instance.gw.admin('GET', '/v1/hosts')).status, 200);
    t.match((await instance.gw.admin('GET', '/v1/store')).body, { suspectEmpty: true, routedHosts: 2 });
    t.equal(
      (await instance.gw.admin('GET', `/v1/hosts/${AGENCY_HOST}`, undefined, secret)).status,
      200,
      `${name} still accepts the agency's token`,
    );
  }
  // Held for several resyncs, not just the first one.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  t.ok((await routes(a, ADMIN_HOST)) && (await routes(b, ADMIN_HOST)), 'still routed a second later');

  const restored = await a.gw.admin('POST', '/v1/store/restore');
  t.equal(restored.status, 200, 'restore answers 200');
  t.match(restored.body, { hosts: 2, agencies: 1, tokens: 1 });
  t.same(Object.keys(await raw.hgetall('gerbang:hosts')).sort(), BOTH, 'the hosts are back in Redis');

  for (const [name, instance] of [
    ['A', a],
    ['B', b],
  ] as const) {
    await waitFor(
      `${name} clears gerbang_store_suspect_empty`,
      async () => (await suspectGauge(instance)) === 0,
      15_000,
    );
    t.ok(await routes(instance, AGENCY_HOST), `${name} routes ${AGENCY_HOST} after the restore`);
    await waitFor(
      `${name} accepts the restored agency token`,
      async () =>
        (await instance.gw.admin('GET', `/v1/hosts/${AGENCY_HOST}`, undefined, secret)).status === 200,
      15_000,
    );
  }
  const audit = await a.gw.admin('GET', '/v1/audit?limit=100');
  const actions = (audit.body as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
  t.ok(actions.includes('store.restore'), 'the restore is audited');

  const again = await b.gw.admin('POST', '/v1/store/restore');
  t.equal(again.status, 409, 'a restore with nothing suspect is refused');
  t.match(again.body, { error: { code: 'CONFLICT' } });
});
