import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { rawTargetGet } from '../policy/kit.js';

t.test('a host that only redirects answers every path, keeping it or not as it says', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const keep = await gw.admin('PUT', '/v1/hosts/lama.paserkab.go.id', {
    redirect: { to: 'https://baru.paserkab.go.id/portal' },
  });
  t.equal(keep.status, 201, JSON.stringify(keep.body));
  const flat = await gw.admin('PUT', '/v1/hosts/arsip.paserkab.go.id', {
    redirect: { to: 'paserkab.go.id/arsip/', status: 302, keepPath: false },
  });
  t.equal(flat.status, 201, JSON.stringify(flat.body));
  const port = gw.gateway.ports.http;
  const a = await rawTargetGet(port, 'lama.paserkab.go.id', '/berita/1?cari=banjir');
  t.equal(a.status, 308);
  t.equal(a.headers.location, 'https://baru.paserkab.go.id/portal/berita/1?cari=banjir');
  t.equal(
    (await rawTargetGet(port, 'lama.paserkab.go.id', '/')).headers.location,
    'https://baru.paserkab.go.id/portal/',
  );
  const b = await rawTargetGet(port, 'arsip.paserkab.go.id', '/apa/saja?x=1');
  t.equal(b.status, 302);
  t.equal(b.headers.location, 'http://paserkab.go.id/arsip/?x=1', 'the request scheme, the query kept');
  t.equal(b.headers['cache-control'], 'no-store');

  const both = await gw.admin('PUT', '/v1/hosts/x.paserkab.go.id', {
    redirect: { to: 'https://baru.paserkab.go.id' },
    routes: [{ path: '/', targets: ['http://127.0.0.1:9'] }],
  });
  t.equal(both.status, 400);
  t.match(both.body, { error: { code: 'VALIDATION_FAILED', message: /^\/redirect/ } });
  const none = await gw.admin('PUT', '/v1/hosts/x.paserkab.go.id', {});
  t.match(none.body, { error: { code: 'VALIDATION_FAILED', message: /^\/routes/ } });
  const badTarget = await gw.admin('PUT', '/v1/hosts/x.paserkab.go.id', { redirect: { to: '/relative' } });
  t.match(badTarget.body, { error: { code: 'VALIDATION_FAILED', message: /^\/redirect\/to/ } });
});
