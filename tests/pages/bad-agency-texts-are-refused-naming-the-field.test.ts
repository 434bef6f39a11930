import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

const HOST = 'dpmptsp.paserkab.go.id';
const ROUTE = { path: '/', targets: ['http://127.0.0.1:9'] };

interface ErrorReply {
  error: { code: string; details?: { fields?: Array<{ path: string }> } };
}

t.test(
  'an agency text too long, with control characters, for an unknown page or language is refused',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const cases: Array<[string, unknown, string]> = [
      ['too long', { '404': { id: 'a'.repeat(301) } }, '/errorPages/404/id'],
      ['empty', { '404': { en: '' } }, '/errorPages/404/en'],
      ['a control character', { '502': { id: 'Hubungi\u0007 kami' } }, '/errorPages/502/id'],
      ['a status Gerbang has no page for', { '500': { id: 'x' } }, '/errorPages/500'],
      ['an unknown language', { '403': { jv: 'x' } }, '/errorPages/403/jv'],
      ['no text at all', { '403': {} }, '/errorPages/403'],
    ];
    for (const [what, errorPages, path] of cases) {
      const res = await gw.admin('PUT', `/v1/hosts/${HOST}`, { routes: [ROUTE], errorPages });
      t.equal(res.status, 400, what);
      const error = (res.body as ErrorReply).error;
      t.equal(error.code, 'VALIDATION_FAILED', what);
      t.ok(
        error.details?.fields?.some((f) => f.path === path),
        `${what}: names ${path}`,
      );
    }
    const route = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      routes: [{ ...ROUTE, errorPages: { '504': { id: '\u0000' } } }],
    });
    t.equal(route.status, 400);
    t.ok(
      (route.body as ErrorReply).error.details?.fields?.some((f) => f.path === '/routes/0/errorPages/504/id'),
    );
    const good = await gw.admin('PUT', `/v1/hosts/${HOST}`, {
      routes: [ROUTE],
      errorPages: { maintenance: { id: 'Baris satu\nbaris dua' } },
    });
    t.equal(good.status, 201, 'a line break is plain text');
  },
);
