import t from 'tap';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';
import { MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const OWN = 'dinkes.paserkab.go.id';
const FOREIGN = 'disdik.paserkab.go.id';

t.test(
  "a member is refused an upload for another agency's host, as PUT /v1/certificates refuses it",
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    for (const [host, agency] of [
      [OWN, 'dinkes'],
      [FOREIGN, 'disdik'],
    ] as const) {
      t.equal(
        (await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost('http://127.0.0.1:9'), agency })).status,
        201,
      );
    }
    const ca = await createTestCa();
    const foreignPair = await ca.issue([FOREIGN]);
    t.equal((await gw.admin('PUT', `/v1/certificates/${FOREIGN}`, await ca.issue([FOREIGN]))).status, 201);
    const before = (await gw.admin('GET', '/v1/certificates')).body as {
      certificates: Array<{ serial: string }>;
    };

    const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
    const page = await browser.get('/konsol/sertifikat');
    t.notMatch(page.text, FOREIGN, "another agency's certificate is not listed, nor offered");

    const refused = await browser.post('/konsol/sertifikat', { host: FOREIGN, ...foreignPair });
    t.equal(refused.status, 403, 'refused with the status of the API');
    t.match(
      refused.text,
      /id="cert-host"[^>]*aria-invalid="true"[\s\S]*id="err-host" role="alert">HOST_NOT_OWNED/,
      "the API's code beside the host field",
    );
    const after = (await gw.admin('GET', '/v1/certificates')).body as {
      certificates: Array<{ serial: string }>;
    };
    t.same(after, before, 'the stored certificate is untouched');
    const renew = await browser.post(`/konsol/sertifikat/${FOREIGN}/perbarui`, {});
    t.equal(renew.status, 403, 'nor may the member renew it');
    t.match(renew.text, /HOST_NOT_OWNED/);

    // The API's rule is ownership, not role: the member's own host takes an upload, as an agency token's would.
    const own = await browser.post('/konsol/sertifikat', { host: OWN, ...(await ca.issue([OWN])) });
    t.equal(own.status, 303, 'their own host takes one');
  },
);
