import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'eoffice.paserkab.go.id';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

t.test('a route’s basicAuth replaces the host’s; enabled: false opens the route', async (t) => {
  const { gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({
      access: { basicAuth: { users: [{ name: 'pegawai', password: 'sandi pegawai' }] } },
      routes: [
        { path: '/', targets: [origin] },
        { path: '/publik', targets: [origin], access: { basicAuth: { enabled: false } } },
        {
          path: '/pimpinan',
          targets: [origin],
          access: {
            basicAuth: { realm: 'Pimpinan', users: [{ name: 'bupati', password: 'sandi pimpinan' }] },
          },
        },
      ],
    }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  const get = (path: string, authorization?: string) =>
    rawTargetGet(port, HOST, path, authorization === undefined ? {} : { headers: { authorization } });
  t.equal((await get('/surat')).status, 401);
  t.equal((await get('/publik/pengumuman')).status, 200, 'the open route asks nothing');
  const boss = await get('/pimpinan/agenda');
  t.equal(boss.status, 401);
  t.match(boss.headers['www-authenticate'], /realm="Pimpinan"/);
  t.equal(
    (await get('/pimpinan/agenda', basic('pegawai', 'sandi pegawai'))).status,
    401,
    'the host’s user is not the route’s',
  );
  t.equal((await get('/pimpinan/agenda', basic('bupati', 'sandi pimpinan'))).status, 200);
  t.equal((await get('/surat', basic('pegawai', 'sandi pegawai'))).status, 200);
});
