/** Konsol's host page lists the host's latest defacement findings (URL, rule, what matched), in Indonesian and English; a clean host says it is clean. */
import { readFileSync } from 'node:fs';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { waitFor } from '../helpers/wait-for.js';
import { KonsolClient, MEMBER_PASSWORD, seedUsers } from './konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';
const injected = readFileSync(new URL('../fixtures/defacement/injected-hidden-links.html', import.meta.url));

t.test("a member's host page shows what the defacement watch found", async (t) => {
  let page = '<html><title>Dinkes</title><p>Selamat datang</p></html>';
  const backend = await startBackend((req, res) => {
    res.writeHead(200, { 'cache-control': 'max-age=600', 'content-type': 'text/html' });
    res.end(req.url === '/berita' ? injected : page);
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await seedUsers(gw);
  t.equal(
    (await gw.admin('PUT', `/v1/hosts/${HOST}`, { ...simpleHost(backend.origin), agency: 'dinkes' })).status,
    201,
  );
  const browser = new KonsolClient(gw.adminUrl);
  t.teardown(() => browser.close());
  t.equal((await browser.login('budi', MEMBER_PASSWORD)).status, 303);

  t.match((await browser.get(`/konsol/hosts/${HOST}`)).text, /Tidak ada temuan/, 'a clean host says so');
  page = '';
  await http(`${gw.url}/berita`, { host: HOST });
  await waitFor(
    'the finding kept',
    async () => {
      const body = (await gw.admin('GET', `/v1/defacement?host=${HOST}`)).body as { hosts: unknown[] };
      return body.hosts.length > 0;
    },
    10_000,
    20,
  );
  const id = (await browser.get(`/konsol/hosts/${HOST}`)).text;
  t.match(id, /<h2 id="h-defacement">Pemantauan deface<\/h2>/, 'the section, in Indonesian');
  t.match(id, new RegExp(`<code>${HOST.replaceAll('.', '\\.')}/berita</code>`), 'the URL');
  t.match(id, /<code>hidden-link-block<\/code>/, 'the rule');
  t.match(id, /situs-a\.example/, 'what matched');
  const en = (await browser.get(`/konsol/hosts/${HOST}?lang=en`)).text;
  t.match(en, /Defacement watch/, 'and in English');
});
