import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { fromClient, PROXY } from './kit.js';

const HOST = 'diskominfo.paserkab.go.id';

t.test("addresses in rateLimit.exempt (DKISP's monitors) are never limited; the others are", async (t) => {
  const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
    gateway: { config: { trustedProxies: [PROXY] } },
    hostDoc: (origin) => ({
      ...simpleHost(origin),
      rateLimit: { rate: '1/m', burst: 1, exempt: ['10.20.0.0/16', '2001:db8:dd::/48'] },
    }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  for (let i = 0; i < 5; i++) {
    t.equal((await fromClient(port, HOST, '10.20.3.4')).status, 200, `monitor request ${i + 1}`);
    t.equal((await fromClient(port, HOST, '2001:db8:dd:1::9')).status, 200, `IPv6 monitor request ${i + 1}`);
  }
  t.equal((await fromClient(port, HOST, '10.21.3.4')).status, 200);
  t.equal((await fromClient(port, HOST, '10.21.3.4')).status, 429, 'outside the exempt range');
  t.equal(backend.seen.length, 11);
});
