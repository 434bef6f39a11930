import t from 'tap';
import { freePort, startAcmeGateway } from '../helpers/acme-gateway.js';
import { simpleHost } from '../helpers/gateway.js';
import { startPebble } from '../helpers/pebble.js';
import { handshake } from '../helpers/tls-client.js';
import { waitFor } from '../helpers/wait-for.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';

t.test('"renew now" on /konsol/sertifikat orders a new ACME certificate at once, audited', async (t) => {
  const acmePort = await freePort();
  const gw = await startAcmeGateway(acmePort);
  t.teardown(() => gw.stop());
  const pebble = await startPebble({
    port: acmePort,
    httpPort: gw.gateway.ports.http,
    tlsPort: gw.gateway.ports.https,
  });
  t.teardown(() => pebble.stop());
  await seedUsers(gw);
  t.equal(
    (await gw.admin('PUT', `/v1/hosts/${HOST}`, { ...simpleHost('http://127.0.0.1:9'), agency: 'dinkes' }))
      .status,
    201,
  );
  const root = await pebble.issuingRoot();
  const serial = async () => {
    const hs = await handshake(gw.gateway.ports.https, { servername: HOST, ca: root });
    return hs.authorized ? hs.peer.serialNumber : undefined;
  };
  const first = await waitFor('the first certificate', serial);

  const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
  const page = await browser.get('/konsol/sertifikat');
  t.match(page.text, /data-source="acme"/, 'listed as an ACME certificate');
  t.match(page.text, `action="/konsol/sertifikat/${HOST}/perbarui?lang=id"`, 'with its renew button');

  const renew = await browser.post(`/konsol/sertifikat/${HOST}/perbarui`, {});
  t.equal(renew.status, 303);
  t.match(
    (await browser.get(renew.headers.get('location') ?? '')).text,
    /role="status">Pemesanan sertifikat baru/,
    'the page says the order started',
  );
  const second = await waitFor('a renewed certificate', async () => {
    const now = await serial();
    return now !== first ? now : undefined;
  });
  t.not(second, first, 'a new certificate is served although the old one was far from expiry');
  const audit = await gw.admin('GET', `/v1/audit?host=${HOST}`);
  t.match(JSON.stringify(audit.body), /certificate\.renew/, 'the renewal is audited with the user');
  t.match(JSON.stringify(audit.body), /user:usr_/, "under the user's own name");

  const unknown = await browser.post('/konsol/sertifikat/nope.paserkab.go.id/perbarui', {});
  t.equal(unknown.status, 404, "the API's refusal for an unknown host");
  t.match(unknown.text, /HOST_NOT_FOUND/);
});
