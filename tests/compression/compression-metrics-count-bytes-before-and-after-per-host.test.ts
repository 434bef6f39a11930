import t from 'tap';
import { scrape, sum } from '../helpers/metrics-text.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(20_000);

t.test(
  'bytes before and after compression are counted per host and encoding, on misses and on hits',
  async (t) => {
    const { gw } = await proxiedHost(t, HOST, (req, res) => {
      const cc = req.url === '/cached' ? 'max-age=60' : 'no-store';
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': cc });
      res.end(PAGE);
    });
    const a = await rawFetch(`${gw.url}/page`, { 'accept-encoding': 'gzip' });
    const b = await rawFetch(`${gw.url}/page`, { 'accept-encoding': 'br' });
    await rawFetch(`${gw.url}/page`, {});
    let m = await scrape(gw.adminUrl);
    const labels = (encoding: string) => ({ host: HOST, encoding });
    t.equal(
      sum(m, 'gerbang_compression_input_bytes_total', labels('gzip')),
      PAGE.length,
      'gzip: bytes before',
    );
    t.equal(
      sum(m, 'gerbang_compression_output_bytes_total', labels('gzip')),
      a.body.length,
      'gzip: bytes sent',
    );
    t.equal(sum(m, 'gerbang_compression_input_bytes_total', labels('br')), PAGE.length, 'br: bytes before');
    t.equal(sum(m, 'gerbang_compression_output_bytes_total', labels('br')), b.body.length, 'br: bytes sent');
    t.equal(sum(m, 'gerbang_compression_input_bytes_total', labels('zstd')), 0, 'identity counts nothing');

    // A cached page: the miss (streamed) and two hits (the stored variant) each count what they sent.
    const miss = await rawFetch(`${gw.url}/cached`, { 'accept-encoding': 'zstd' });
    const hit1 = await rawFetch(`${gw.url}/cached`, { 'accept-encoding': 'zstd' });
    const hit2 = await rawFetch(`${gw.url}/cached`, { 'accept-encoding': 'zstd' });
    t.match(hit2.headers['cache-status'], /hit/);
    m = await scrape(gw.adminUrl);
    t.equal(
      sum(m, 'gerbang_compression_input_bytes_total', labels('zstd')),
      3 * PAGE.length,
      'zstd: three pages before',
    );
    t.equal(
      sum(m, 'gerbang_compression_output_bytes_total', labels('zstd')),
      miss.body.length + hit1.body.length + hit2.body.length,
      'zstd: what the three responses carried',
    );
  },
);
