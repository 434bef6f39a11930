import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

const HOST = 'kominfo.paserkab.go.id';
const ROUTE = { path: '/', targets: ['http://127.0.0.1:9'] };

interface ErrorReply {
  error: { code: string; message: string; details?: { fields?: Array<{ path: string }> } };
}

t.test('a rule on a field Gerbang owns, or a bad name or value, is a 400 naming its field', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const forbidden: Array<[string, Record<string, unknown>, string]> = [
    [
      'hop-by-hop',
      { headers: { response: { set: { Connection: 'close' } } } },
      '/headers/response/set/Connection',
    ],
    [
      'Transfer-Encoding',
      { headers: { response: { remove: ['Transfer-Encoding'] } } },
      '/headers/response/remove/0',
    ],
    [
      'X-Forwarded-For',
      { headers: { request: { set: { 'X-Forwarded-For': '10.0.0.1' } } } },
      '/headers/request/set/X-Forwarded-For',
    ],
    [
      'X-Forwarded-Proto',
      { headers: { request: { setIfAbsent: { 'x-forwarded-proto': 'https' } } } },
      '/headers/request/setIfAbsent/x-forwarded-proto',
    ],
    [
      'X-Request-Id',
      { headers: { response: { remove: ['Server', 'X-Request-Id'] } } },
      '/headers/response/remove/1',
    ],
    [
      'Cache-Status',
      { headers: { response: { set: { 'Cache-Status': 'hit' } } } },
      '/headers/response/set/Cache-Status',
    ],
    [
      'a route rule',
      { routes: [{ ...ROUTE, headers: { response: { set: { Upgrade: 'h2c' } } } }] },
      '/routes/0/headers/response/set/Upgrade',
    ],
  ];
  for (const [what, fields, path] of forbidden) {
    const res = await gw.admin('PUT', `/v1/hosts/${HOST}`, { routes: [ROUTE], ...fields });
    t.equal(res.status, 400, what);
    const error = (res.body as ErrorReply).error;
    t.equal(error.code, 'HEADER_FORBIDDEN', what);
    t.ok(
      error.details?.fields?.some((f) => f.path === path),
      `${what}: names ${path} (${error.message})`,
    );
  }
  const malformed: Array<[string, Record<string, unknown>, string]> = [
    [
      'a space in a name',
      { headers: { response: { set: { 'X Bad': 'v' } } } },
      '/headers/response/set/X Bad',
    ],
    ['a colon in a name', { headers: { response: { remove: ['X-A:'] } } }, '/headers/response/remove/0'],
    [
      'CR LF in a value',
      { headers: { response: { set: { 'X-A': 'ok\r\nSet-Cookie: a=b' } } } },
      '/headers/response/set/X-A',
    ],
    ['an empty value', { headers: { request: { set: { 'X-A': '' } } } }, '/headers/request/set/X-A'],
    [
      'a value too long',
      { headers: { response: { set: { 'X-A': 'v'.repeat(1025) } } } },
      '/headers/response/set/X-A',
    ],
    [
      'a name too long',
      { headers: { response: { remove: ['X'.repeat(65)] } } },
      '/headers/response/remove/0',
    ],
    [
      'one name in two lists',
      { headers: { response: { set: { 'X-A': '1' }, remove: ['x-a'] } } },
      '/headers/response/remove/0',
    ],
    ['an unknown list', { headers: { response: { add: { 'X-A': '1' } } } }, '/headers/response/add'],
    ['defaults not a boolean', { headers: { defaults: 'yes' } }, '/headers/defaults'],
  ];
  for (const [what, fields, path] of malformed) {
    const res = await gw.admin('PUT', `/v1/hosts/${HOST}`, { routes: [ROUTE], ...fields });
    t.equal(res.status, 400, what);
    const error = (res.body as ErrorReply).error;
    t.equal(error.code, 'VALIDATION_FAILED', what);
    t.ok(
      error.details?.fields?.some((f) => f.path === path),
      `${what}: names ${path} (${error.message})`,
    );
  }
  t.equal((await gw.admin('GET', `/v1/hosts/${HOST}`)).status, 404, 'nothing was stored');
  const headers = {
    defaults: true,
    response: { set: { 'Content-Security-Policy': "default-src 'self'" }, remove: ['X-Powered-By'] },
    request: { setIfAbsent: { 'Accept-Language': 'id' } },
  };
  const good = await gw.admin('PUT', `/v1/hosts/${HOST}`, { routes: [ROUTE], headers });
  t.equal(good.status, 201, JSON.stringify(good.body));
  t.has((await gw.admin('GET', `/v1/hosts/${HOST}`)).body, { headers }, 'kept as sent');
});
