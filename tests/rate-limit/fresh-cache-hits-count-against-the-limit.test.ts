import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'jdih.paserkab.go.id';

t.test(
  'fresh cache hits count against the limit and a refused address is not served from the cache',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(
      t,
      HOST,
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' });
        res.end('<p>peraturan daerah</p>');
      },
      { hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/m', burst: 3 } }) },
    );
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    t.equal((await rawTargetGet(port, HOST, '/perda')).status, 200);
    for (let i = 0; i < 2; i++) {
      const hit = await rawTargetGet(port, HOST, '/perda');
      t.match(hit.headers['cache-status'], /^gerbang; hit/, `hit ${i + 1} served from memory`);
    }
    const refused = await rawTargetGet(port, HOST, '/perda');
    t.equal(refused.status, 429, 'the hits spent the burst');
    t.notMatch(refused.body, /peraturan daerah/);
    t.equal(refused.headers['cache-status'], undefined, 'the cache was not touched');
    t.equal(backend.seen.length, 1);
  },
);
