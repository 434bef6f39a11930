import t from 'tap';
import { cacheSetup } from '../cache/kit.js';

t.test(
  'the Host port, case and trailing dot a client sends reach neither the backend nor the cached page',
  async (t) => {
    // A legacy portal that builds its links from Host and X-Forwarded-Host, as PHP's $_SERVER['HTTP_HOST'] does.
    const setup = await cacheSetup((req, res) => {
      const body = `<a href="http://${req.headers.host}/login">login</a> ${req.headers['x-forwarded-host']}`;
      res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'public, max-age=60' });
      res.end(body);
    });
    t.teardown(() => setup.stop());
    const port = setup.gw.gateway.ports.http;
    const canonical = `portal.paserkab.go.id:${port}`;

    const poisoned = await setup.get('/', { host: 'PORTAL.paserkab.go.id.:1' });
    t.equal(poisoned.status, 200);
    const seen = setup.backend.seen[0]?.headers;
    t.equal(seen?.host, canonical, 'the backend sees the normalised name and the listener’s own port');
    t.equal(seen?.['x-forwarded-host'], canonical, 'X-Forwarded-Host too');
    t.equal(seen?.['x-forwarded-port'], String(port), 'X-Forwarded-Port is the listener’s port');

    const citizen = await setup.get('/');
    t.match(String(citizen.headers['cache-status']), /hit/, 'the plain request is answered from the cache');
    t.equal(setup.hits('/'), 1);
    t.notMatch(citizen.body, /:1\b/, 'no link to port 1 in the stored page');
    t.notMatch(citizen.body, /PORTAL|\.paserkab\.go\.id\./, 'nor the client’s case or trailing dot');
    t.match(citizen.body, `http://${canonical}/login`);
  },
);
