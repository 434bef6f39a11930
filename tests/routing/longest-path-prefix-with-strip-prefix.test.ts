import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

t.test('the longest path prefix wins, on segment boundaries, and stripPrefix removes it', async (t) => {
  const site = await startBackend(echoHandler('site'));
  const api = await startBackend(echoHandler('api'));
  const apiV2 = await startBackend(echoHandler('api-v2'));
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await Promise.all([site.stop(), api.stop(), apiV2.stop()]);
  });
  const put = await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', {
    routes: [
      { path: '/', targets: [site.origin] },
      { path: '/api/', targets: [api.origin], stripPrefix: true },
      { path: '/api/v2', targets: [apiV2.origin] },
    ],
  });
  t.equal(put.status, 201);

  const get = async (path: string) =>
    JSON.parse((await http(gw.url + path, { host: 'dinkes.paserkab.go.id' })).body);
  t.match(await get('/berita?id=1'), { backend: 'site', url: '/berita?id=1' }, 'root route');
  t.match(
    await get('/api/pasien?nik=1'),
    { backend: 'api', url: '/pasien?nik=1' },
    'prefix stripped, query kept',
  );
  t.match(await get('/api'), { backend: 'api', url: '/' }, 'the prefix itself becomes /');
  t.match(await get('/api/v2/x'), { backend: 'api-v2', url: '/api/v2/x' }, 'longest prefix, not stripped');
  t.match(await get('/apix'), { backend: 'site', url: '/apix' }, '/api does not match /apix');
  t.match(await get('/api/v20'), { backend: 'api', url: '/v20' }, '/api/v2 does not match /api/v20');
});
