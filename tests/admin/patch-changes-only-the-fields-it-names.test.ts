import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const HOST = 'dinkes.paserkab.go.id';

async function patch(adminUrl: string, path: string, body: unknown, type = 'application/merge-patch+json') {
  const res = await fetch(adminUrl + path, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': type },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

t.test(
  'PATCH /v1/hosts/{host} is a JSON Merge Patch: only what it names changes, validated as the result',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    const doc = {
      routes: [
        { path: '/', targets: [backend.origin], healthCheck: { path: '/sehat', intervalMs: 5000 } },
        { path: '/api', targets: [backend.origin], stripPrefix: true },
      ],
      app: { name: 'Portal Dinkes', description: 'Layanan kesehatan' },
    };
    t.equal((await gw.admin('PUT', `/v1/hosts/${HOST}`, doc)).status, 201);

    const on = await patch(gw.adminUrl, `/v1/hosts/${HOST}`, {
      maintenance: { enabled: true, message: 'Pemeliharaan' },
    });
    t.equal(on.status, 200, JSON.stringify(on.body));
    const after = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as typeof doc & Record<string, unknown>;
    t.same(after.routes, doc.routes, 'both routes and the health check are kept');
    t.same(after.app, doc.app, 'the directory information is kept');
    t.same(after.maintenance, { enabled: true, message: 'Pemeliharaan' });
    t.equal((await http(`${gw.url}/`, { host: HOST })).status, 503, 'the change is live');

    const partial = await patch(
      gw.adminUrl,
      `/v1/hosts/${HOST}`,
      { app: { description: null }, maintenance: null },
      'application/json',
    );
    t.equal(partial.status, 200, 'plain application/json is a merge patch too');
    const cleared = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;
    t.same(
      cleared.app,
      { name: 'Portal Dinkes' },
      'null removes a nested field, the rest of the object stays',
    );
    t.notOk('maintenance' in cleared, 'null removes a whole field');

    const bad = await patch(gw.adminUrl, `/v1/hosts/${HOST}`, {
      routes: [{ path: '/', targets: ['ftp://x'] }],
    });
    t.equal(bad.status, 400, 'the result is validated as a PUT would be');
    t.same(
      ((await gw.admin('GET', `/v1/hosts/${HOST}`)).body as typeof doc).routes,
      doc.routes,
      'nothing of a refused patch is kept',
    );
    const notObject = await patch(gw.adminUrl, `/v1/hosts/${HOST}`, ['maintenance']);
    t.equal(notObject.status, 400);
    t.equal((notObject.body.error as { code: string }).code, 'VALIDATION_FAILED');

    const missing = await patch(gw.adminUrl, '/v1/hosts/tidakada.paserkab.go.id', { app: { name: 'x' } });
    t.equal(missing.status, 404, 'a host that is not registered is 404');
    t.equal((missing.body.error as { code: string }).code, 'HOST_NOT_FOUND');
  },
);
