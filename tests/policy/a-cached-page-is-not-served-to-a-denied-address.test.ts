import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'bkpsdm.paserkab.go.id';

t.test('a page in the cache is served to an admitted address and refused to a denied one', async (t) => {
  const { backend, gw, put } = await proxiedHost(
    t,
    HOST,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'max-age=600' });
      res.end('<p>daftar pegawai</p>');
    },
    { hostDoc: (origin) => ({ ...simpleHost(origin), access: { deny: ['127.0.0.2'] } }) },
  );
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  t.equal((await rawTargetGet(port, HOST, '/pegawai', { localAddress: '127.0.0.1' })).status, 200);
  const hit = await rawTargetGet(port, HOST, '/pegawai', { localAddress: '127.0.0.1' });
  t.match(hit.headers['cache-status'], /^gerbang; hit/, 'stored and served as a fresh hit');

  const denied = await rawTargetGet(port, HOST, '/pegawai', { localAddress: '127.0.0.2' });
  t.equal(denied.status, 403);
  t.notMatch(denied.body, /daftar pegawai/);
  t.equal(denied.headers['cache-status'], undefined, 'the cache was not touched');
  t.equal(backend.seen.length, 1, 'the backend was asked once, by the admitted address');
});
