import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'sipd.paserkab.go.id';

t.test(
  "a route's probeFilter replaces the host's: off on one route, block with 403 on another",
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      hostDoc: (origin) => ({
        probeFilter: { mode: 'block' },
        routes: [
          { path: '/', targets: [origin] },
          { path: '/mentah', targets: [origin], probeFilter: { mode: 'off' } },
          { path: '/ketat', targets: [origin], probeFilter: { mode: 'block', status: 403 } },
        ],
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    t.equal((await rawTargetGet(port, HOST, '/.env')).status, 404, "the host's block");
    t.equal((await rawTargetGet(port, HOST, '/mentah/.env')).status, 200, 'the route turned it off');
    const strict = await rawTargetGet(port, HOST, '/ketat/.git/config', {
      headers: { accept: 'application/json' },
    });
    t.equal(strict.status, 403);
    t.equal(JSON.parse(strict.body).error.code, 'FORBIDDEN');
    t.same(
      backend.seen.map((s) => s.url),
      ['/mentah/.env'],
    );
  },
);
