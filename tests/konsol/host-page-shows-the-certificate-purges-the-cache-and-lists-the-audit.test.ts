import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { createTestCa } from '../helpers/test-ca.js';
import { MEMBER_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';
const DAY_MS = 86_400_000;

t.test("a member's host page: certificate expiry, a cache purge by prefix, the host's audit", async (t) => {
  let served = 0;
  const backend = await startBackend((req, res) => {
    served++;
    res.writeHead(200, { 'cache-control': 'public, max-age=600', 'content-type': 'text/plain' });
    res.end(`${req.url} #${served}`);
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await seedUsers(gw);
  for (const [host, agency] of [
    [HOST, 'dinkes'],
    ['disdik.paserkab.go.id', 'disdik'],
  ]) {
    t.equal(
      (await gw.admin('PUT', `/v1/hosts/${host}`, { ...simpleHost(backend.origin), agency })).status,
      201,
    );
  }
  const ca = await createTestCa();
  const notAfter = new Date(Date.now() + 30 * DAY_MS);
  t.equal(
    (await gw.admin('PUT', `/v1/certificates/${HOST}`, await ca.issue([HOST], { notAfter }))).status,
    201,
  );

  const browser = await signedInClient(t, gw, 'budi', MEMBER_PASSWORD);
  const page = await browser.get(`/konsol/hosts/${HOST}`);
  t.equal(page.status, 200);
  t.match(page.text, /data-days-left="(29|30)"/, 'the certificate and the days it has left');
  t.match(page.text, notAfter.toISOString().slice(0, 10), 'its expiry date');
  t.match(page.text, /<code>host\.put<\/code>/, "the host's registration in its audit");

  await http(`${gw.url}/berita/1`, { host: HOST });
  await http(`${gw.url}/berita/1`, { host: HOST });
  t.equal(served, 1, 'the page is cached');
  const purge = await browser.post(`/konsol/hosts/${HOST}/purge`, { prefix: '/berita' });
  t.equal(purge.status, 303);
  t.match(purge.headers.get('location'), /purged=1/, 'one URL removed');
  t.match((await browser.get(purge.headers.get('location') ?? '')).text, /1 URL dihapus/, 'and said so');
  await http(`${gw.url}/berita/1`, { host: HOST });
  t.equal(served, 2, 'the next request goes to the backend');
  t.match(
    (await browser.get(`/konsol/hosts/${HOST}`)).text,
    /<code>cache\.purge<\/code>/,
    'the purge is audited',
  );

  const foreign = await browser.post('/konsol/hosts/disdik.paserkab.go.id/purge', { prefix: '/' });
  t.equal(foreign.status, 403, "another agency's host: refused, as the API refuses it");
  const bad = await browser.post(`/konsol/hosts/${HOST}/purge`, { prefix: 'no-slash' });
  t.equal(bad.status, 400, 'a prefix the API refuses is refused');
  t.match(bad.text, /VALIDATION_FAILED/);
});
