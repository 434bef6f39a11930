import t from 'tap';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';

const HOST = 'bapenda.paserkab.go.id';

t.test("a route's rateLimit replaces the host's and is counted on its own", async (t) => {
  const { gw, put } = await proxiedHost(t, HOST, undefined, {
    hostDoc: (origin) => ({
      rateLimit: { rate: '1/m', burst: 1 },
      routes: [
        { path: '/', targets: [origin] },
        { path: '/api', targets: [origin], rateLimit: { rate: '1/m', burst: 3 } },
        { path: '/unduh', targets: [origin] },
      ],
    }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  t.equal((await rawTargetGet(port, HOST, '/')).status, 200);
  t.equal(
    (await rawTargetGet(port, HOST, '/unduh/a.pdf')).status,
    429,
    "routes without their own share the host's count",
  );
  for (let i = 0; i < 3; i++)
    t.equal((await rawTargetGet(port, HOST, '/api/pajak')).status, 200, `api ${i + 1}`);
  const refused = await rawTargetGet(port, HOST, '/api/pajak');
  t.equal(refused.status, 429, "the route's own burst is spent");
  t.equal(refused.headers['ratelimit-policy'], '"default";q=3;w=180', "the route's policy");
});
