import t from 'tap';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';

t.test('a method a known path does not have is 405 with Allow; an unknown path stays 404', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const call = (method: string, path: string) =>
    fetch(`${gw.adminUrl}${path}`, { method, headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });

  const post = await call('POST', '/v1/hosts');
  t.equal(post.status, 405);
  t.equal(post.headers.get('allow'), 'GET, HEAD');
  const body = (await post.json()) as { error: { code: string; message: string } };
  t.equal(body.error.code, 'METHOD_NOT_ALLOWED');
  t.match(body.error.message, /POST is not allowed on \/v1\/hosts; use GET, HEAD/);

  const onHost = await call('POST', '/v1/hosts/dinkes.paserkab.go.id');
  t.equal(onHost.status, 405);
  t.equal(onHost.headers.get('allow'), 'DELETE, GET, HEAD, PATCH, PUT');

  t.equal((await call('GET', '/v1/tidak-ada')).status, 404);
});
