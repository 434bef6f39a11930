import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { rawTargetGet } from './kit.js';

const HOST = 'lpse.paserkab.go.id';

t.test(
  'access lists read X-Forwarded-For only from trusted proxies, for IPv4 and IPv6 clients',
  async (t) => {
    const { backend, gw, put } = await proxiedHost(t, HOST, undefined, {
      gateway: { config: { trustedProxies: ['127.0.0.2'] } },
      hostDoc: (origin) => ({
        ...simpleHost(origin),
        access: { allow: ['203.0.113.0/24', '2001:db8::/32'], deny: ['203.0.113.66'] },
      }),
    });
    t.equal(put.status, 201, JSON.stringify(put.body));
    const port = gw.gateway.ports.http;
    const from = (localAddress: string, xff: string) =>
      rawTargetGet(port, HOST, '/', { localAddress, headers: { 'x-forwarded-for': xff } });

    t.equal(
      (await from('127.0.0.2', '203.0.113.5')).status,
      200,
      'the trusted proxy names an allowed client',
    );
    t.equal((await from('127.0.0.2', '2001:db8:5::7')).status, 200, 'an IPv6 client in the allowed range');
    t.equal((await from('127.0.0.2', '2001:db9::7')).status, 403, 'an IPv6 client outside it');
    t.equal((await from('127.0.0.2', '198.51.100.9')).status, 403, 'a client outside the allow list');
    t.equal((await from('127.0.0.2', '203.0.113.66')).status, 403, 'deny wins over allow');
    t.equal(
      (await from('127.0.0.2', '203.0.113.5, 198.51.100.9')).status,
      403,
      'the nearest untrusted hop is the client, not what it claims before it',
    );
    t.equal(
      (await from('127.0.0.1', '203.0.113.5')).status,
      403,
      'an untrusted peer cannot claim an address',
    );
    t.equal(backend.seen.length, 2);
  },
);
