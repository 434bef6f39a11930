import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'eoffice.paserkab.go.id';
const auth = `Basic ${Buffer.from('pegawai:sandi yang panjang').toString('base64')}`;

t.test('the backend never sees Authorization, except on a route that passes it', async (t) => {
  const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({
      routes: [
        { path: '/', targets: [origin] },
        {
          path: '/legacy',
          targets: [origin],
          access: {
            basicAuth: { users: [{ name: 'pegawai', password: 'sandi yang panjang' }], passThrough: true },
          },
        },
      ],
      access: { basicAuth: { users: [{ name: 'pegawai', password: 'sandi yang panjang' }] } },
    }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  for (let i = 0; i < 2; i++) {
    // The first request verifies the hash, the second is a remembered login: both strip the field.
    t.equal((await rawTargetGet(port, HOST, '/surat', { headers: { authorization: auth } })).status, 200);
    t.equal((await rawTargetGet(port, HOST, '/legacy/x', { headers: { authorization: auth } })).status, 200);
  }
  t.same(
    backend.seen.map((r) => [r.url, r.headers.authorization]),
    [
      ['/surat', undefined],
      ['/legacy/x', auth],
      ['/surat', undefined],
      ['/legacy/x', auth],
    ],
  );
});
