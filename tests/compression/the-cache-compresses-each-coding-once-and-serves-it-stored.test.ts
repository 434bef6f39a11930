import t from 'tap';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { decode, HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(40 * 1024);
const RUNS = 'gerbang_compression_runs_total';

t.test(
  'the backend is asked once; each coding is compressed once from the stored page; later hits are stored bytes',
  async (t) => {
    let backendHits = 0;
    const { gw } = await proxiedHost(t, HOST, (_req, res) => {
      backendHits++;
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=300', etag: '"p1"' });
      res.end(PAGE);
    });
    const runs = async (source: string, encoding: string) =>
      sum(await scrape(gw.adminUrl), RUNS, { host: HOST, source, encoding });

    // The miss: streamed through a compressor while it is stored (identity) for the cache.
    const miss = await rawFetch(`${gw.url}/berita`, { 'accept-encoding': 'br' });
    t.equal(miss.headers['content-encoding'], 'br');
    t.match(miss.headers['cache-status'], /fwd=uri-miss/);
    t.equal(await runs('stream', 'br'), 1, 'the miss ran one stream compressor');

    // First br hit: made once from the stored body; it goes through the cache flow.
    const first = await rawFetch(`${gw.url}/berita`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    t.equal(first.headers['content-encoding'], 'br');
    t.match(first.headers['cache-status'], /hit/);
    t.ok(decode(first).equals(PAGE));
    t.equal(await runs('stored', 'br'), 1, 'one br variant made');

    // Later br hits, with other spellings of the same choice: stored bytes, no compressor at all.
    const spellings = ['br', 'br;q=1, gzip;q=0.5', 'gzip, br', '*'];
    for (const ae of spellings) {
      const hit = await rawFetch(`${gw.url}/berita`, { 'accept-encoding': ae });
      t.equal(hit.headers['content-encoding'], 'br', `${ae}: br`);
      t.ok(hit.body.equals(first.body), `${ae}: the same stored br bytes`);
      t.equal(hit.headers['content-length'], String(first.body.length), `${ae}: with their length`);
      t.equal(hit.headers.etag, '"p1-br"');
    }
    t.equal(await runs('stored', 'br'), 1, 'still one br variant made: the later hits compressed nothing');
    t.equal(await runs('stream', 'br'), 1, 'and no stream compressor ran for them');

    // Other codings: one run each, then stored.
    for (const coding of ['gzip', 'zstd']) {
      for (let i = 0; i < 3; i++) {
        const hit = await rawFetch(`${gw.url}/berita`, { 'accept-encoding': coding });
        t.equal(hit.headers['content-encoding'], coding);
        t.ok(decode(hit).equals(PAGE), `${coding} hit ${i} decodes`);
      }
      t.equal(await runs('stored', coding), 1, `${coding}: one variant made for three hits`);
    }
    const identity = await rawFetch(`${gw.url}/berita`, {});
    t.equal(identity.headers['content-encoding'], undefined);
    t.ok(identity.body.equals(PAGE), 'identity is the stored body itself');
    t.equal(identity.headers.vary, 'Accept-Encoding');
    t.equal(backendHits, 1, 'the backend was asked once');
  },
);
