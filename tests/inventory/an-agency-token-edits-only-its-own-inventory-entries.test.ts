import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

type Err = { error: { code: string; message: string } };

t.test('an agency token lists, writes and removes its own agency’s inventory entries only', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  for (const id of ['dinkes', 'disdik']) {
    await gw.admin('PUT', `/v1/agencies/${id}`, {
      name: id,
      contact: `${id}@x`,
      owns: [`${id}.paserkab.go.id`],
    });
  }
  const entry = (agency?: string) => ({
    ...(agency ? { agency } : {}),
    state: 'reported',
    name: 'Portal lama',
    url: 'http://portal.example/',
  });
  t.equal((await gw.admin('PUT', '/v1/inventory/disdik-ppdb', entry('disdik'))).status, 201);
  const token = (await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 't' })).body as {
    secret: string;
  };

  const own = await gw.admin('PUT', '/v1/inventory/dinkes-simpus', entry(), token.secret);
  t.equal(own.status, 201, 'the agency is implied');
  t.equal((own.body as { agency: string }).agency, 'dinkes');
  const forOther = await gw.admin('PUT', '/v1/inventory/dinkes-x', entry('disdik'), token.secret);
  t.equal(forOther.status, 403);
  t.match((forOther.body as Err).error.message, /^\/agency: /);
  const takeOver = await gw.admin('PUT', '/v1/inventory/disdik-ppdb', entry(), token.secret);
  t.equal(takeOver.status, 403, 'nor take another agency’s entry');
  t.equal((await gw.admin('GET', '/v1/inventory/disdik-ppdb', undefined, token.secret)).status, 403);
  t.equal((await gw.admin('DELETE', '/v1/inventory/disdik-ppdb', undefined, token.secret)).status, 403);
  const list = (await gw.admin('GET', '/v1/inventory', undefined, token.secret)).body as {
    entries: Array<{ id: string }>;
  };
  t.same(
    list.entries.map((e) => e.id),
    ['dinkes-simpus'],
  );
  const all = (await gw.admin('GET', '/v1/inventory')).body as { entries: Array<{ id: string }> };
  t.equal(all.entries.length, 2, 'an admin sees every agency’s');
  t.equal((await gw.admin('DELETE', '/v1/inventory/dinkes-simpus', undefined, token.secret)).status, 204);
  t.equal((await gw.admin('GET', '/v1/inventory/disdik-ppdb')).status, 200, 'the other agency’s entry stays');
});
