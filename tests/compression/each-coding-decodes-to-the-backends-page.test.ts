import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { decode, HOST, pageOf, rawFetch } from './kit.js';

const PAGE = pageOf(64 * 1024);

t.test(
  'br, zstd and gzip each decode to the page the backend wrote, on a proxied and on a cached route',
  async (t) => {
    const { gw, put } = await proxiedHost(t, HOST, (req, res) => {
      // /fixed announces its length; /stream is chunked; /cached may be stored.
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
      if (req.url === '/cached') headers['cache-control'] = 'max-age=60';
      else headers['cache-control'] = 'no-store';
      if (req.url === '/fixed' || req.url === '/cached') headers['content-length'] = String(PAGE.length);
      res.writeHead(200, headers);
      if (req.url === '/stream') {
        res.write(PAGE.subarray(0, 1000));
        setTimeout(() => res.end(PAGE.subarray(1000)), 20);
      } else res.end(PAGE);
    });
    t.equal(put.status, 201);
    for (const path of ['/fixed', '/stream', '/cached']) {
      for (const coding of ['br', 'zstd', 'gzip']) {
        // Twice on /cached: the miss, then the hit (a variant made from the stored body).
        for (let round = 0; round < (path === '/cached' ? 3 : 1); round++) {
          const res = await rawFetch(`${gw.url}${path}`, { 'accept-encoding': coding });
          t.equal(res.status, 200, `${path} ${coding}`);
          t.equal(res.headers['content-encoding'], coding, `${path} ${coding} round ${round}: encoded`);
          // Streamed: chunked; a stored variant: its own length, never the identity body's.
          const length = res.headers['content-length'];
          t.ok(
            length === undefined || Number(length) === res.body.length,
            `${path} ${coding}: length of what is sent`,
          );
          t.ok(res.body.length < PAGE.length / 3, `${path} ${coding}: smaller (${res.body.length} bytes)`);
          t.ok(decode(res).equals(PAGE), `${path} ${coding} round ${round}: decodes to the page`);
        }
      }
    }
  },
);
