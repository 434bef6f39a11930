import t from 'tap';
import { brandedPages, type PageName } from './pages-kit.js';

const PAGES: PageName[] = ['403', '404', '429', '502', '503', '504', 'maintenance'];

t.test(
  '403, 404, 429, 502, 503, 504 and maintenance link to the directory and name the contact',
  async (t) => {
    const { gw, page } = await brandedPages(t, {
      app: { name: 'Layanan Uji', owner: 'Diskominfo', contact: 'WA 0812-0000-1111' },
    });
    const directory = new RegExp(`<a href="http://layanan\\.paserkab\\.go\\.id:${gw.gateway.ports.http}/">`);
    for (const name of PAGES) {
      const res = await page(name);
      t.equal(res.status, name === 'maintenance' ? 503 : Number(name), name);
      t.match(res.headers['content-type'], /text\/html/, `${name}: a page`);
      t.match(res.body, directory, `${name}: links to the directory`);
      t.match(res.body, /Hubungi Diskominfo: <span>WA 0812-0000-1111<\/span>/, `${name}: names the contact`);
    }
  },
);
