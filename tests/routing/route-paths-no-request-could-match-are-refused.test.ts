import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

t.test('a route path no request could ever match is refused at registration, naming the field', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const cases: Array<[string, RegExp]> = [
    ['/lama\\berita', /a request path never holds it/],
    ['/a/../admin', /a request path never holds it/],
    ['/a/./b', /a request path never holds it/],
    ['/x%2fy', /a request path never holds it/],
    ['/%61pi', /write it as "\/api"/],
    ['/berita%2a', /write it as "\/berita%2A"/],
  ];
  for (const [path, hint] of cases) {
    const res = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
      routes: [{ path, targets: ['http://127.0.0.1:9'] }],
    });
    t.equal(res.status, 400, path);
    const error = (res.body as { error: { code: string; message: string } }).error;
    t.equal(error.code, 'VALIDATION_FAILED');
    t.match(error.message, /^\/routes\/0\/path: /, `${path}: the field is named`);
    t.match(error.message, hint, `${path}: says why`);
  }
  const fine = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    routes: [{ path: '/berita%20lama', targets: ['http://127.0.0.1:9'] }],
  });
  t.equal(fine.status, 201, 'a path with an escape a request keeps is accepted');
});
