import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';

t.test('registration refuses names outside the zones and invalid documents, changing nothing', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const target = 'http://127.0.0.1:9';

  const outside = await gw.admin('PUT', '/v1/hosts/dinkes.example.com', simpleHost(target));
  t.equal(outside.status, 400);
  t.match(outside.body, { error: { code: 'HOST_OUTSIDE_ZONE' } });

  const lookalike = await gw.admin('PUT', '/v1/hosts/evilpaserkab.go.id', simpleHost(target));
  t.match(lookalike.body, { error: { code: 'HOST_OUTSIDE_ZONE' } }, 'a suffix is not a zone');

  const invalid = await gw.admin('PUT', '/v1/hosts/di_nkes.paserkab.go.id', simpleHost(target));
  t.match(invalid.body, { error: { code: 'INVALID_HOST' } });

  const unknownField = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    ...simpleHost(target),
    extra: 1,
  });
  t.equal(unknownField.status, 400);
  t.match(unknownField.body, { error: { code: 'VALIDATION_FAILED' } });

  const badTarget = await gw.admin(
    'PUT',
    '/v1/hosts/dinkes.paserkab.go.id',
    simpleHost('ftp://127.0.0.1:21'),
  );
  t.match(badTarget.body, { error: { code: 'INVALID_TARGET' } });

  const withPath = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    routes: [{ path: 'no-slash', targets: [target] }],
  });
  t.match(
    withPath.body,
    { error: { code: 'VALIDATION_FAILED', message: /\/routes\/0\/path/ } },
    'names the field',
  );

  const list = await gw.admin('GET', '/v1/hosts');
  t.same(list.body, { hosts: [] }, 'nothing was stored');
});
