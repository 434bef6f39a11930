import t from 'tap';
import { negotiate } from '../../src/data/compression/negotiate.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { HOST, pageOf, rawFetch } from './kit.js';

t.test(
  'the coding follows Accept-Encoding q-values, `*` and identity;q=0, ties going br > zstd > gzip',
  async (t) => {
    const cases: [string | undefined, string][] = [
      [undefined, 'identity'],
      ['', 'identity'],
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['GZIP', 'gzip'],
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate, br', 'br'],
      ['gzip, zstd', 'zstd'],
      ['br;q=0.5, gzip;q=0.9', 'gzip'],
      ['br;q=0.5, gzip;q=0.9, zstd;q=1.0', 'zstd'],
      ['br;q=0, gzip', 'gzip'],
      ['br;q=0, gzip;q=0, zstd;q=0', 'identity'],
      ['*', 'br'],
      ['*;q=0.1, gzip;q=0.5', 'gzip'],
      ['*;q=0.5, br;q=0', 'zstd'],
      ['identity;q=0, gzip', 'gzip'],
      ['identity', 'identity'],
      ['identity;q=1, br;q=0.5', 'identity'],
      ['deflate, compress', 'identity'],
      ['gzip;q=abc', 'gzip'],
      ['br ; q = 0.8 , gzip ; q=0.7', 'br'],
    ];
    for (const [header, expected] of cases) t.equal(negotiate(header), expected, `${header}`);
    t.equal(negotiate(['gzip;q=0.2', 'br;q=0.3']), 'br', 'a header on several lines is one list');

    const { gw } = await proxiedHost(t, HOST, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(pageOf(8192));
    });
    const res = await rawFetch(`${gw.url}/`, { 'accept-encoding': 'br;q=0.2, gzip;q=0.8, zstd;q=0.5' });
    t.equal(res.headers['content-encoding'], 'gzip', 'through the gateway, the highest q wins');
    const none = await rawFetch(`${gw.url}/`, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    t.equal(none.headers['content-encoding'], undefined, 'every coding refused: the page as it is');
    t.equal(none.body.length, 8192);
  },
);
