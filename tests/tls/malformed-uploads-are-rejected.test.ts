import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';

t.test(
  'malformed certificate uploads are refused with a stable code naming the field, and change nothing',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const host = 'dinkes.paserkab.go.id';
    t.equal((await gw.admin('PUT', `/v1/hosts/${host}`, simpleHost('http://127.0.0.1:9'))).status, 201);
    const ca = await createTestCa();
    const otherCa = await createTestCa('Other Root');
    const good = await ca.issue([host]);
    const other = await ca.issue([host]);
    const day = 86_400_000;
    const expired = await ca.issue([host], {
      notBefore: new Date(Date.now() - 10 * day),
      notAfter: new Date(Date.now() - day),
    });
    const future = await ca.issue([host], {
      notBefore: new Date(Date.now() + day),
      notAfter: new Date(Date.now() + 10 * day),
    });
    const wrongName = await ca.issue(['disdik.paserkab.go.id']);

    const cases: Array<[string, unknown, string, RegExp]> = [
      ['not PEM', { certificate: 'hello', key: good.key }, 'CERT_INVALID', /\/certificate/],
      [
        'garbled PEM',
        { certificate: good.certificate.replace(/[A-Za-z]{20}/, 'A'), key: good.key },
        'CERT_INVALID',
        /\/certificate/,
      ],
      ['not a key', { certificate: good.certificate, key: 'nope' }, 'CERT_KEY_INVALID', /\/key/],
      [
        'key of another certificate',
        { certificate: good.certificate, key: other.key },
        'CERT_KEY_MISMATCH',
        /\/key/,
      ],
      [
        'chain out of order',
        { certificate: `${good.certificate}\n${otherCa.certificate}`, key: good.key },
        'CERT_CHAIN_INVALID',
        /block 0/,
      ],
      ['names do not cover the host', wrongName, 'CERT_NAME_MISMATCH', /do not cover dinkes/],
      ['expired', expired, 'CERT_EXPIRED', /expired/],
      ['not yet valid', future, 'CERT_NOT_YET_VALID', /not valid before/],
      ['missing key field', { certificate: good.certificate }, 'VALIDATION_FAILED', /key/],
    ];
    for (const [what, body, code, message] of cases) {
      const res = await gw.admin('PUT', `/v1/certificates/${host}`, body);
      t.equal(res.status, 400, `${what}: 400`);
      t.match(res.body, { error: { code, message } }, `${what}: ${code}`);
    }
    const outside = await gw.admin('PUT', '/v1/certificates/example.com', good);
    t.match(outside, { status: 400, body: { error: { code: 'HOST_OUTSIDE_ZONE' } } });

    const list = await gw.admin('GET', '/v1/certificates');
    t.same(list.body, { certificates: [] }, 'nothing was stored');
    const ok = await gw.admin('PUT', `/v1/certificates/${host}`, {
      certificate: `${good.certificate}\n${ca.certificate}`,
      key: good.key,
    });
    t.equal(ok.status, 201, 'a full chain, leaf first, is accepted');
  },
);
