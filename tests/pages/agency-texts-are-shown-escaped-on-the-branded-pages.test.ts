import t from 'tap';
import { brandedPages, type PageName } from './pages-kit.js';

const PAGES: PageName[] = ['403', '404', '429', '502', '503', '504', 'maintenance'];

t.test('an agency’s own text is shown on its branded pages as plain text, never as HTML', async (t) => {
  const texts = Object.fromEntries(
    PAGES.map((name) => [
      name,
      {
        id: `Teks ${name} <script>alert(1)</script> & "Dinas"`,
        ...(name === '404' ? {} : { en: `Text ${name}` }),
      },
    ]),
  );
  const { page } = await brandedPages(t, { errorPages: texts });
  for (const name of PAGES) {
    const res = await page(name);
    t.match(
      res.body,
      `<p class="agency">Teks ${name} &#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Dinas&#34;</p>`,
      `${name}: shown, escaped`,
    );
    t.notMatch(res.body, /<script>/, `${name}: no raw HTML`);
    const english = await page(name, { 'accept-language': 'en' });
    t.match(
      english.body,
      name === '404' ? `Teks 404 &#60;script` : `<p class="agency">Text ${name}</p>`,
      `${name}: the English text, or the Indonesian one when there is none`,
    );
  }
});

t.test('a route’s own texts replace the host’s; a status without a text shows none', async (t) => {
  const { gw, page } = await brandedPages(t, { errorPages: { '502': { id: 'Teks host' } } });
  const doc = (await gw.admin('GET', '/v1/hosts/layanan-uji.paserkab.go.id')).body as {
    routes: Array<Record<string, unknown>>;
  };
  const routes = doc.routes.map((r) =>
    r.path === '/mati' ? { ...r, errorPages: { '502': { id: 'Teks rute' } } } : r,
  );
  t.equal(
    (
      await gw.admin('PUT', '/v1/hosts/layanan-uji.paserkab.go.id', {
        routes,
        errorPages: { '502': { id: 'Teks host' } },
      })
    ).status,
    200,
  );
  const res = await page('502');
  t.match(res.body, '<p class="agency">Teks rute</p>');
  t.notMatch(res.body, 'Teks host');
  t.notMatch((await page('404')).body, 'class="agency"', 'no text for 404');
});
