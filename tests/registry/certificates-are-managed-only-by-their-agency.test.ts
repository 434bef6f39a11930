import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';
import { agencyWithToken, codeOf } from './kit.js';

t.test('an agency token uploads, lists and renews certificates of its own hosts only', async (t) => {
  const backend = await startBackend();
  t.teardown(() => backend.stop());
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const ca = await createTestCa();
  const dinkes = await agencyWithToken(gw, 'dinkes', ['dinkes.paserkab.go.id']);
  await agencyWithToken(gw, 'disdik', ['disdik.paserkab.go.id']);
  for (const [host, agency] of [
    ['dinkes.paserkab.go.id', 'dinkes'],
    ['disdik.paserkab.go.id', 'disdik'],
  ] as const) {
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${host}`, { agency, ...simpleHost(backend.origin) })).status,
      201,
    );
  }

  const own = await gw.admin(
    'PUT',
    '/v1/certificates/dinkes.paserkab.go.id',
    await ca.issue(['dinkes.paserkab.go.id']),
    dinkes,
  );
  t.equal(own.status, 201, 'its own host');
  const other = await gw.admin(
    'PUT',
    '/v1/certificates/disdik.paserkab.go.id',
    await ca.issue(['disdik.paserkab.go.id']),
    dinkes,
  );
  t.equal(other.status, 403);
  t.equal(codeOf(other.body), 'HOST_NOT_OWNED');
  t.equal(
    (
      await gw.admin(
        'PUT',
        '/v1/certificates/disdik.paserkab.go.id',
        await ca.issue(['disdik.paserkab.go.id']),
      )
    ).status,
    201,
    'the admin may',
  );

  const listed = (await gw.admin('GET', '/v1/certificates', undefined, dinkes)).body as {
    certificates: Array<{ host: string }>;
  };
  t.same(
    listed.certificates.map((c) => c.host),
    ['dinkes.paserkab.go.id'],
    'lists only its own',
  );
  const all = (await gw.admin('GET', '/v1/certificates')).body as { certificates: Array<{ host: string }> };
  t.equal(all.certificates.length, 2, 'the admin sees every certificate');
  const renew = await gw.admin('POST', '/v1/certificates/disdik.paserkab.go.id/renew', undefined, dinkes);
  t.equal(codeOf(renew.body), 'HOST_NOT_OWNED', 'cannot renew another agency’s certificate');
});
