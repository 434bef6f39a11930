import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

const HOST = 'dinkes.paserkab.go.id';
const ROUTE = { path: '/', targets: ['http://127.0.0.1:9'] };

interface ErrorReply {
  error: { code: string; message: string; details?: { fields?: Array<{ path: string }> } };
}

t.test('a bad address, prefix or mode is a 400 naming its field, and nothing is stored', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['not an address', { access: { allow: ['10.0.0.0/8', 'intranet'] } }, '/access/allow/1'],
    ['an IPv4 prefix above 32', { access: { deny: ['10.0.0.0/33'] } }, '/access/deny/0'],
    ['an IPv6 prefix above 128', { access: { allow: ['2001:db8::/129'] } }, '/access/allow/0'],
    ['a prefix that is not a number', { access: { allow: ['10.0.0.0/8x'] } }, '/access/allow/0'],
    [
      'a route list',
      { routes: [{ ...ROUTE, access: { deny: ['::1', '1.2.3'] } }] },
      '/routes/0/access/deny/1',
    ],
    ['an unknown list', { access: { block: ['10.0.0.1'] } }, '/access/block'],
    ['an unknown mode', { probeFilter: { mode: 'blok' } }, '/probeFilter/mode'],
    [
      'a status other than 403 or 404',
      { probeFilter: { mode: 'block', status: 418 } },
      '/probeFilter/status',
    ],
    ['a route mode', { routes: [{ ...ROUTE, probeFilter: { mode: 'on' } }] }, '/routes/0/probeFilter/mode'],
  ];
  for (const [what, fields, path] of cases) {
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
  const good = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
    routes: [ROUTE],
    access: { allow: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1'], deny: [] },
    probeFilter: { mode: 'block', status: 403 },
  });
  t.equal(good.status, 201, JSON.stringify(good.body));
  const stored = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;
  t.same(stored.probeFilter, { mode: 'block', status: 403 }, 'kept as sent');
  t.same(stored.access, { allow: ['10.0.0.0/8', '192.168.1.7', '2001:db8::/32', '::1'], deny: [] });
});
