/** A Redis restarted on an empty data dir is held as suspect by two instances (also one restarted meanwhile) until an admin confirms the empty store; then both drop the hosts, audited. */
import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';
import {
  hostsInLastSnapshot,
  type Instance,
  suspectGauge,
  twoGatewaysOnRedis,
} from './kit-two-gateways-on-redis.js';

const HOST = 'dinkes.paserkab.go.id';

async function status(instance: Instance): Promise<number> {
  return (await http(`${instance.gw.url}/`, { host: HOST })).status;
}

t.test('a Redis restarted empty keeps the routes until an admin confirms the empty store', async (t) => {
  const { redis, backend, a, b } = await twoGatewaysOnRedis(t);
  t.equal((await a.gw.admin('PUT', `/v1/hosts/${HOST}`, simpleHost(backend.origin))).status, 201);
  for (const instance of [a, b]) {
    await waitFor('the host routed', async () => (await status(instance)) === 200, 15_000);
    await waitFor(
      'the snapshot holds it',
      async () => (await hostsInLastSnapshot(instance)).length === 1,
      15_000,
    );
  }

  // Not persistent: the server comes back on the same port with nothing in it, as a replaced server would.
  await redis.restart();
  for (const [name, instance] of [
    ['A', a],
    ['B', b],
  ] as const) {
    await waitFor(
      `${name} holds the store as suspect`,
      async () => (await suspectGauge(instance)) === 1,
      15_000,
    );
    t.equal(await status(instance), 200, `${name} still routes the host`);
  }

  // An instance that starts while Redis is empty routes from its local copy, and holds the store too.
  await b.restart();
  t.equal(await status(b), 200, 'B, restarted on the empty Redis, routes from its last snapshot');
  t.equal(await suspectGauge(b), 1, 'and holds the store as suspect');
  t.same(await hostsInLastSnapshot(b), [HOST], 'its local copy was not overwritten');

  const confirmed = await a.gw.admin('POST', '/v1/store/confirm-empty');
  t.equal(confirmed.status, 200, 'confirm answers 200');
  t.match(confirmed.body, { dropped: 1 });
  for (const [name, instance] of [
    ['A', a],
    ['B', b],
  ] as const) {
    await waitFor(`${name} drops the host`, async () => (await status(instance)) !== 200, 15_000);
    t.equal(await suspectGauge(instance), 0, `${name} no longer holds the store as suspect`);
    t.same(await hostsInLastSnapshot(instance), [], `${name} overwrote its local copy with the empty table`);
  }
  const audit = await a.gw.admin('GET', '/v1/audit?limit=100');
  const actions = (audit.body as { entries: Array<{ action: string }> }).entries.map((e) => e.action);
  t.ok(actions.includes('store.confirm-empty'), 'the confirmation is audited');

  // From now on the store is vouched for: registering and deleting the only host is no flush.
  t.equal((await a.gw.admin('PUT', `/v1/hosts/${HOST}`, simpleHost(backend.origin))).status, 201);
  await waitFor('B routes the new host', async () => (await status(b)) === 200, 15_000);
  t.equal((await a.gw.admin('DELETE', `/v1/hosts/${HOST}`)).status, 204);
  await waitFor('B drops the deleted host', async () => (await status(b)) !== 200, 15_000);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  t.equal(await suspectGauge(b), 0, 'a store emptied by deletions is not held as suspect');
});
