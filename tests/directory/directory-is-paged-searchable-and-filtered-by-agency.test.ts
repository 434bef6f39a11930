import t from 'tap';
import { DEFAULT_DIRECTORY_PAGE_SIZE } from '../../src/config/defaults.js';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const DIRECTORY = 'layanan.paserkab.go.id';

interface Listing {
  total: number;
  matched: number;
  page: number;
  pages: number;
  next?: string;
  prev?: string;
  agencies: Array<{ id: string; services: Array<{ host: string }> }>;
}

t.test(
  'the directory comes in bounded pages that together list every service; search and agency filter look through all of them',
  async (t) => {
    const backend = await startBackend();
    const count = 2 * DEFAULT_DIRECTORY_PAGE_SIZE + 17;
    const agencies = ['dinkes', 'disdik', 'dukcapil'];
    const hosts = Array.from({ length: count }, (_, i) => ({
      host: `app${String(i).padStart(3, '0')}.paserkab.go.id`,
      agency: agencies[i % 3] as string,
      app: { name: i === 150 ? 'PPDB Online' : `Aplikasi ${String(i).padStart(3, '0')}` },
      routes: [{ path: '/', targets: [backend.origin] }],
    }));
    const gw = await startTestGateway({ config: { hosts } });
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const get = async (path: string) => {
      const res = await http(`${gw.url}${path}`, { host: DIRECTORY });
      return { status: res.status, body: res.body, bytes: res.bytes };
    };

    // Following `next` from the first page visits every service once, a bounded page at a time.
    const seen: string[] = [];
    let path: string | undefined = '/layanan.json';
    let pages = 0;
    while (path !== undefined && pages < 10) {
      const res = await get(path);
      t.equal(res.status, 200, path);
      const listing = JSON.parse(res.body) as Listing;
      const here = listing.agencies.flatMap((a) => a.services.map((s) => s.host));
      t.ok(here.length <= DEFAULT_DIRECTORY_PAGE_SIZE, `page ${listing.page}: ${here.length} services`);
      t.equal(listing.total, count);
      seen.push(...here);
      path = listing.next;
      pages++;
    }
    t.equal(pages, 3, 'three pages');
    t.equal(seen.length, count, 'every service listed');
    t.equal(new Set(seen).size, count, 'each once');

    const html = await get('/?page=2');
    t.equal(html.status, 200);
    t.equal(
      (html.body.match(/<li /g) ?? []).length,
      DEFAULT_DIRECTORY_PAGE_SIZE,
      'the HTML page holds one page of cards',
    );
    t.match(html.body, /href="\/\?page=3" rel="next"/);
    t.match(html.body, /href="\/" rel="prev"/, 'page 1 is the plain address');
    t.match(html.body, /Halaman 2 dari 3/);

    const search = JSON.parse((await get('/layanan.json?q=PPDB')).body) as Listing;
    t.equal(search.matched, 1, 'a search finds a service that is on another page');
    t.same(
      search.agencies.flatMap((a) => a.services.map((s) => s.host)),
      ['app150.paserkab.go.id'],
    );
    const searchPage = await get('/?q=ppdb');
    t.match(searchPage.body, /1 layanan ditemukan/);
    t.match(searchPage.body, /value="ppdb"/, 'the search box keeps the text');

    const one = JSON.parse((await get('/layanan.json?instansi=disdik')).body) as Listing;
    t.equal(one.matched, hosts.filter((h) => h.agency === 'disdik').length);
    t.same([...new Set(one.agencies.map((a) => a.id))], ['disdik'], 'one agency only');

    t.equal((await get('/?page=4')).status, 404, 'past the last page');
    t.equal((await get('/?page=abc')).status, 400);
    t.equal((await get('/?page=1&page=2')).status, 400, 'a repeated parameter is refused');
    t.equal((await get('/?instansi=Bad_Id')).status, 400);
    const hostile = await get('/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
    t.equal(hostile.status, 200);
    t.match(
      hostile.body,
      /value="&#34;&#62;&#60;script&#62;alert\(1\)&#60;\/script&#62;"/,
      'the search text is escaped',
    );
    t.notMatch(hostile.body, /<script>alert/);
  },
);
