import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'bkpsdm.paserkab.go.id';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test('a page in the cache of a protected route is served only with valid credentials', async (t) => {
  const { backend, gw, put } = await proxiedHost(
    t,
    HOST,
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, max-age=600' });
      res.end('<p>daftar pegawai</p>');
    },
    {
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        access: { basicAuth: { users: [{ name: 'admin', password: 'panjang sekali' }] } },
      }),
    },
  );
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  const good = { headers: { authorization: basic('admin', 'panjang sekali') } };
  t.equal((await rawTargetGet(port, HOST, '/pegawai', good)).status, 200);
  const hit = await rawTargetGet(port, HOST, '/pegawai', good);
  t.match(hit.headers['cache-status'], /^gerbang; hit/, 'stored and served as a fresh hit');
  const attempts: Array<Record<string, string>> = [
    {},
    { authorization: basic('admin', 'tebakan') },
    { authorization: 'Bearer x' },
  ];
  for (const headers of attempts) {
    const refused = await rawTargetGet(port, HOST, '/pegawai', { headers });
    t.equal(refused.status, 401, JSON.stringify(headers));
    t.notMatch(refused.body, /daftar pegawai/);
    t.equal(refused.headers['cache-status'], undefined, 'the cache was not touched');
  }
  t.equal(backend.seen.length, 1, 'the backend was asked once');
});
