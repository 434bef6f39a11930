import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

t.test(
  'a Konsol path asked with a method it does not take gets 405 with Allow; an unknown path 404',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const ask = (method: string, path: string) =>
      fetch(`${gw.adminUrl}${path}`, { method, redirect: 'manual' });
    const logout = await ask('GET', '/konsol/logout');
    t.equal(logout.status, 405, 'GET /konsol/logout');
    t.equal(logout.headers.get('allow'), 'POST');
    t.match(logout.headers.get('content-security-policy'), /default-src 'none'/, 'still a Konsol page');
    const maintenance = await ask('GET', '/konsol/hosts/dinkes.paserkab.go.id/maintenance');
    t.equal(maintenance.status, 405, 'a path with a parameter');
    t.equal(maintenance.headers.get('allow'), 'POST');
    const css = await ask('DELETE', '/konsol/assets/konsol.css');
    t.equal(css.status, 405);
    t.match(css.headers.get('allow'), /GET/);
    t.equal((await ask('GET', '/konsol/nowhere')).status, 404, 'a path Konsol does not have');
    t.equal((await ask('GET', '/konsol/hosts/a/b/c')).status, 404, 'more segments than any route');
  },
);
