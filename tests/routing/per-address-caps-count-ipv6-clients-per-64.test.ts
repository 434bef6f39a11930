import t from 'tap';
import { clientKey, requestClient } from '../../src/data/limits/client-key.js';
import { compileTrustedProxies } from '../../src/data/routing/trusted-proxies.js';

t.test('per-address caps count an IPv4 client as itself and an IPv6 client by its /64', async (t) => {
  t.equal(clientKey('203.0.113.7'), '203.0.113.7');
  t.equal(
    clientKey('::ffff:203.0.113.7'),
    '203.0.113.7',
    'an IPv4 peer on a dual-stack socket is the same client',
  );
  t.equal(clientKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
  t.equal(
    clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff'),
    '2001:db8:1:2::/64',
    'every address of one subscriber /64 shares a count',
  );
  t.not(clientKey('2001:db8:1:3::1'), clientKey('2001:db8:1:2::1'), 'the next /64 is another client');
  t.equal(clientKey('::1'), '0:0:0:0::/64');
  t.equal(clientKey(undefined), '');
});

t.test('behind a trusted proxy, the client is the nearest untrusted X-Forwarded-For address', async (t) => {
  const trusted = compileTrustedProxies(['10.0.0.0/8']);
  t.equal(requestClient('10.1.1.1', '198.51.100.9, 10.2.2.2, 10.1.1.1', trusted), '198.51.100.9');
  t.equal(
    requestClient('10.1.1.1', 'garbage, 10.1.1.1', trusted),
    undefined,
    'a trusted proxy that names no client is not counted as one client',
  );
  t.equal(
    requestClient('198.51.100.9', '192.0.2.1, 198.51.100.9', trusted),
    '198.51.100.9',
    'an untrusted peer is itself',
  );
});
