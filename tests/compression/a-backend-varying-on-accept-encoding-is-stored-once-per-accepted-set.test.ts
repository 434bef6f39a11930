import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { decode, HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(8192);

t.test(
  'a backend that varies on Accept-Encoding is stored per set of accepted codings, not per spelling',
  async (t) => {
    let asked = 0;
    const { gw } = await proxiedHost(t, HOST, (_req, res) => {
      asked++;
      // What Apache with mod_deflate sends for a page it left uncompressed.
      res.writeHead(200, {
        'content-type': 'text/html',
        'cache-control': 'max-age=300',
        vary: 'Accept-Encoding',
      });
      res.end(PAGE);
    });
    const chrome = await rawFetch(`${gw.url}/`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    t.match(chrome.headers['cache-status'], /fwd=uri-miss/);
    const spellings = [
      'zstd, br, deflate, gzip',
      'gzip,deflate,br,zstd',
      'GZIP;q=1.0, deflate;q=0.5, br, zstd;q=0.9',
    ];
    for (const ae of spellings) {
      const res = await rawFetch(`${gw.url}/`, { 'accept-encoding': ae });
      t.match(res.headers['cache-status'], /hit/, `${ae}: the same stored variant`);
      t.ok(decode(res).equals(PAGE));
    }
    t.equal(asked, 1, 'the backend was asked once for the four spellings');
    const gzipOnly = await rawFetch(`${gw.url}/`, { 'accept-encoding': 'gzip, br;q=0' });
    t.match(gzipOnly.headers['cache-status'], /fwd=vary-miss/, 'another accepted set is another variant');
    t.equal(gzipOnly.headers['content-encoding'], 'gzip');
    t.ok(decode(gzipOnly).equals(PAGE));
    t.equal(asked, 2);
  },
);
