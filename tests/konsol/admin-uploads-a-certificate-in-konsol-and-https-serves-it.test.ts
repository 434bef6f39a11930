import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { createTestCa } from '../helpers/test-ca.js';
import { httpsGet } from '../helpers/tls-client.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';

t.test(
  'an admin uploads a PEM pair on /konsol/sertifikat and the public HTTPS listener serves it',
  async (t) => {
    const backend = await startBackend((_req, res) => res.end('portal dinkes'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await seedUsers(gw);
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${HOST}`, { ...simpleHost(backend.origin), agency: 'dinkes' }))
        .status,
      201,
    );
    const ca = await createTestCa();
    const pair = await ca.issue([HOST]);
    const other = await ca.issue([HOST]);

    const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    const empty = await browser.get('/konsol/sertifikat');
    t.equal(empty.status, 200);
    t.match(empty.text, /<label for="cert-pem">/, 'the certificate field is labelled');
    t.match(empty.text, /<label for="cert-key">/, 'the key field is labelled');

    const mismatch = await browser.post('/konsol/sertifikat', {
      host: HOST,
      certificate: pair.certificate,
      key: other.key,
    });
    t.equal(mismatch.status, 400, "a key that is not the certificate's: the API's 400");
    t.match(
      mismatch.text,
      /id="cert-key"[^>]*aria-invalid="true"[^>]*>[\s\S]*<p class="error" id="err-key" role="alert">CERT_KEY_MISMATCH/,
      'the refusal is beside the key field',
    );
    t.ok(
      mismatch.text.includes(pair.certificate.trim().split('\n')[1] ?? '-'),
      'the typed certificate is kept',
    );
    t.equal(
      (await httpsGet(gw.gateway.ports.https, HOST, '/', ca.certificate).catch(() => undefined))?.status,
      undefined,
      'nothing served yet',
    );

    // A long chain is far beyond the 16 KiB of Konsol's other forms: the upload takes what the API takes.
    const long = await browser.post('/konsol/sertifikat', {
      host: HOST,
      certificate: `${pair.certificate}\n${'#'.repeat(40_000)}`,
      key: other.key,
    });
    t.equal(long.status, 400, 'a 40 KB certificate field reaches the checks (not a 413)');
    t.match(long.text, /CERT_KEY_MISMATCH/);

    const ok = await browser.post('/konsol/sertifikat', { host: HOST, ...pair });
    t.equal(ok.status, 303);
    const page = await browser.get(ok.headers.get('location') ?? '');
    t.match(page.text, /role="status"/, 'the page says it is saved');
    t.match(
      page.text,
      new RegExp(`data-host="${HOST.replace(/\./g, '\\.')}"[\\s\\S]*data-source="uploaded"`),
      'listed as uploaded',
    );
    t.match(page.text, /data-days-left="\d+"/, 'with its days left');

    const served = await httpsGet(gw.gateway.ports.https, HOST, '/', ca.certificate);
    t.equal(served.status, 200, 'the uploaded certificate verifies against its CA on the public listener');
    t.equal(served.body, 'portal dinkes');
    const listed = await gw.admin('GET', '/v1/certificates');
    t.match(
      listed.body,
      { certificates: [{ host: HOST, source: 'uploaded' }] },
      'the API sees the same certificate',
    );
    const audit = await gw.admin('GET', `/v1/audit?host=${HOST}`);
    t.match(JSON.stringify(audit.body), /certificate\.put/, 'and the upload is audited');
  },
);
