import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';

t.test('an agency token patches its own hosts and no one else’s', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  for (const id of ['dinkes', 'disdik']) {
    await gw.admin('PUT', `/v1/agencies/${id}`, {
      name: id,
      contact: `${id}@paserkab.go.id`,
      owns: [`${id}.paserkab.go.id`],
    });
    await gw.admin('PUT', `/v1/hosts/${id}.paserkab.go.id`, {
      agency: id,
      routes: [{ path: '/', targets: [backend.origin] }],
    });
  }
  const token = (await gw.admin('POST', '/v1/tokens', { scope: 'agency:dinkes', note: 'test' })).body as {
    secret: string;
  };

  const own = await gw.admin('PATCH', '/v1/hosts/dinkes.paserkab.go.id', { forceHttps: true }, token.secret);
  t.equal(own.status, 200);
  const other = await gw.admin(
    'PATCH',
    '/v1/hosts/disdik.paserkab.go.id',
    { maintenance: { enabled: true } },
    token.secret,
  );
  t.equal(other.status, 403);
  t.equal((other.body as { error: { code: string } }).error.code, 'HOST_NOT_OWNED');
  const stolen = await gw.admin(
    'PATCH',
    '/v1/hosts/dinkes.paserkab.go.id',
    { agency: 'disdik' },
    token.secret,
  );
  t.equal(stolen.status, 403, 'nor hand its host to another agency');
  const disdik = (await gw.admin('GET', '/v1/hosts/disdik.paserkab.go.id')).body as Record<string, unknown>;
  t.notOk('maintenance' in disdik, 'the other agency’s host is untouched');
});
