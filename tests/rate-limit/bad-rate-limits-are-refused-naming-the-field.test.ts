import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

const HOST = 'bkd.paserkab.go.id';
const ROUTE = { path: '/', targets: ['http://127.0.0.1:9'] };

interface ErrorReply {
  error: { code: string; message: string; details?: { fields?: Array<{ path: string }> } };
}

t.test('a bad rate, burst or exemption is a 400 naming its field, and nothing is stored', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['no rate', { rateLimit: { burst: 5 } }, '/rateLimit/rate'],
    ['a period that is not s, m or h', { rateLimit: { rate: '10/d' } }, '/rateLimit/rate'],
    ['a zero rate', { rateLimit: { rate: '0/s' } }, '/rateLimit/rate'],
    ['a burst of zero', { rateLimit: { rate: '10/s', burst: 0 } }, '/rateLimit/burst'],
    ['a burst that is not whole', { rateLimit: { rate: '10/s', burst: 2.5 } }, '/rateLimit/burst'],
    [
      'an exemption that is no CIDR',
      { rateLimit: { rate: '10/s', exempt: ['monitor'] } },
      '/rateLimit/exempt/0',
    ],
    ['an unknown field', { rateLimit: { rate: '10/s', per: 'ip' } }, '/rateLimit/per'],
    [
      "a route's limit",
      { routes: [{ ...ROUTE, rateLimit: { rate: '10/s', burst: -1 } }] },
      '/routes/0/rateLimit/burst',
    ],
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
    routes: [{ ...ROUTE, path: '/api', rateLimit: { rate: '600/m' } }, ROUTE],
    rateLimit: { rate: '10/s', burst: 20, exempt: ['10.20.0.0/16', '2001:db8::/48'] },
  });
  t.equal(good.status, 201, JSON.stringify(good.body));
  const stored = (await gw.admin('GET', `/v1/hosts/${HOST}`)).body as Record<string, unknown>;
  t.same(
    stored.rateLimit,
    { rate: '10/s', burst: 20, exempt: ['10.20.0.0/16', '2001:db8::/48'] },
    'kept as sent',
  );
});
