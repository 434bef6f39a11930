import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { httpsGet } from '../helpers/tls-client.js';

t.test(
  'the unknown-host 404 page links to the service directory on the scheme it was asked on',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const { http: httpPort, https: httpsPort } = gw.gateway.ports;

    const plain = await http(`${gw.url}/apa`, { host: 'tidakada.paserkab.go.id' });
    t.equal(plain.status, 404);
    t.match(plain.body, /Situs tidak ditemukan/);
    t.match(
      plain.body,
      new RegExp(`<a href="http://layanan\\.paserkab\\.go\\.id:${httpPort}/">Lihat daftar layanan`),
      'a link onward to the directory, on http and the listener’s public port',
    );

    const secure = await httpsGet(httpsPort, 'tidakada.paserkab.go.id', '/apa', undefined, {
      'accept-language': 'en',
    });
    t.equal(secure.status, 404);
    t.match(secure.body, /Site not found/);
    t.match(
      secure.body,
      new RegExp(
        `<a href="https://layanan\\.paserkab\\.go\\.id:${httpsPort}/">See the list of Paser Regency`,
      ),
      'on https the link stays on https',
    );
    t.notMatch(plain.body, /<(script|img|link)\b/, 'still no external assets');
  },
);

t.test('a gateway without the directory writes no dead link', async (t) => {
  const gw = await startTestGateway({
    config: { directory: { enabled: false, host: 'layanan.paserkab.go.id' } },
  });
  t.teardown(() => gw.stop());
  const res = await http(`${gw.url}/`, { host: 'tidakada.paserkab.go.id' });
  t.equal(res.status, 404);
  t.notMatch(res.body, /layanan\.paserkab\.go\.id/);
});
