import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from '../policy/kit.js';
import { fromClient, PROXY } from './kit.js';

const HOST = 'sakip.paserkab.go.id';

t.test(
  'requests a trusted proxy forwards without naming a client are not limited as one client',
  async (t) => {
    const { gw, put } = await proxiedHost(t, HOST, undefined, {
      gateway: { config: { trustedProxies: [PROXY] } },
      hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/m', burst: 1 } }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    // A layer-4 balancer in trustedProxies that rewrites source addresses: many citizens behind one address.
    for (let i = 0; i < 4; i++)
      t.equal((await rawTargetGet(port, HOST, '/', { localAddress: PROXY })).status, 200, `unnamed ${i + 1}`);
    t.equal((await fromClient(port, HOST, '198.51.100.7')).status, 200, 'a client it names is counted');
    t.equal((await fromClient(port, HOST, '198.51.100.7')).status, 429, 'and limited');
  },
);
