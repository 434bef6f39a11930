import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { ADMIN_PASSWORD, seedUsers, signedInClient } from './konsol-client.js';

const HOST = 'dinkes.paserkab.go.id';

const fromEntities = (text: string) =>
  text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

/** What a browser would post from the page untouched: inputs, checked boxes, textareas, selected options. */
function formOfPage(html: string): Record<string, string> {
  const form: Record<string, string> = {};
  for (const [tag] of html.matchAll(/<input [^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(tag)?.[1];
    const value = fromEntities(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
    if (name === undefined) continue;
    if (/type="checkbox"/.test(tag) && !/ checked/.test(tag)) continue;
    form[name] = value;
  }
  for (const [, name = '', text = ''] of html.matchAll(
    /<textarea [^>]*name="([^"]+)"[^>]*>\n?([^<]*)<\/textarea>/g,
  ))
    form[name] = fromEntities(text);
  for (const [, name = '', options = ''] of html.matchAll(
    /<select [^>]*name="([^"]+)"[^>]*>(.*?)<\/select>/gs,
  ))
    form[name] = fromEntities(/<option value="([^"]*)" selected>/.exec(options)?.[1] ?? '');
  return form;
}

// An admin edits: the alias outside the zone is one only an admin may grant.
t.test(
  'a host document with every field set comes back unchanged after a save through the edit form',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    await seedUsers(gw);
    const document = {
      agency: 'dinkes',
      routes: [
        {
          path: '/api',
          targets: ['http://127.0.0.1:9', 'http://127.0.0.1:10'],
          stripPrefix: true,
          preserveHost: true,
          timeouts: { connect: 1000, response: 5000, idle: 9000 },
          cache: { enabled: false },
          compression: { enabled: false },
          healthCheck: { path: '/healthz', intervalMs: 10_000, expectStatus: [200, 204] },
          balance: 'roundRobin',
          weights: [3, 1],
          probeFilter: { mode: 'block', status: 403 },
          access: { deny: ['10.9.0.0/16'] },
          rateLimit: { rate: '5/s', burst: 10 },
          headers: { response: { set: { 'x-layanan': 'api' } } },
          errorPages: { '502': { id: 'API sedang gangguan' } },
        },
        { path: '/', targets: ['http://127.0.0.1:9'] },
      ],
      aliases: [{ name: 'dinkes-lama.example.org', mode: 'redirect', status: 301 }],
      redirects: [{ prefix: '/lama', to: '/baru', status: 302 }],
      cache: { enabled: true, maxObjectBytes: 1_048_576 },
      compression: { enabled: true, minBytes: 512, gzipLevel: 6, brotliLevel: 4, zstdLevel: 3 },
      serveStaleOnError: 300,
      maintenance: {
        enabled: true,
        message: 'Pembaruan <sistem> & "data"',
        until: '2026-12-01T20:00:00+08:00',
      },
      app: {
        name: 'Portal Dinkes',
        description: 'Layanan kesehatan',
        owner: 'Bidang P2P',
        contact: 'it@dinkes',
        category: 'kesehatan',
      },
      forceHttps: true,
      hsts: { maxAge: 600, includeSubDomains: true, preload: true },
      probeFilter: { mode: 'detect' },
      access: {
        allow: ['10.0.0.0/8', '::1'],
        basicAuth: { realm: 'Dinkes', users: [{ name: 'op', password: 'rahasia-panjang-1' }] },
      },
      rateLimit: { rate: '600/m', exempt: ['10.1.0.0/16'] },
      headers: { defaults: false, request: { remove: ['x-debug'] } },
      errorPages: { maintenance: { id: 'Sebentar lagi', en: 'Back soon' } },
    };
    const put = await gw.admin('PUT', `/v1/hosts/${HOST}`, document);
    t.equal(put.status, 201, JSON.stringify(put.body));
    const { updatedAt: _before, ...stored } = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<
      string,
      unknown
    >;

    const browser = await signedInClient(t, gw, 'admin', ADMIN_PASSWORD);
    const page = await browser.get(`/konsol/hosts/${HOST}/edit`);
    t.equal(page.status, 200);
    const saved = await browser.post(`/konsol/hosts/${HOST}/edit`, formOfPage(page.text));
    t.equal(saved.status, 303, 'saved as shown');
    if (saved.status !== 303)
      t.comment(/role="alert".*?<\/div>/s.exec(saved.text)?.[0] ?? saved.text.slice(0, 2000));
    const { updatedAt: _after, ...after } = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<
      string,
      unknown
    >;
    t.same(after, stored, 'every field as it was');

    // A redirect-only host has no routes: the `redirect` part, alone.
    const only = { redirect: { to: `https://${HOST}/`, status: 301, keepPath: false } };
    t.equal((await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', only)).status, 201);
    const redirectPage = await browser.get('/konsol/hosts/lama.paserkab.go.id/edit');
    const again = await browser.post('/konsol/hosts/lama.paserkab.go.id/edit', formOfPage(redirectPage.text));
    t.equal(again.status, 303, 'a redirect-only host saved as shown');
    if (again.status !== 303)
      t.comment(/role="alert".*?<\/div>/s.exec(again.text)?.[0] ?? again.text.slice(0, 3000));
    const lama = (await gw.admin('GET', '/v1/hosts/lama.paserkab.go.id')).body as Record<string, unknown>;
    t.same(lama.redirect, only.redirect);
    t.same(lama.routes, []);
  },
);
