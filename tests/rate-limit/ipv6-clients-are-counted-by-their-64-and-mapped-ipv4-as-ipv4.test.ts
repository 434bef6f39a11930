import t from 'tap';
import { simpleHost } from '../helpers/gateway.js';
import { proxiedHost } from '../helpers/proxied-host.js';
import { fromClient, PROXY } from './kit.js';

const HOST = 'dukcapil.paserkab.go.id';

t.test('IPv6 clients share a count per /64; an IPv4-mapped address counts as its IPv4 address', async (t) => {
  const { gw, put } = await proxiedHost(t, HOST, undefined, {
    gateway: { config: { trustedProxies: [PROXY] } },
    hostDoc: (origin) => ({ ...simpleHost(origin), rateLimit: { rate: '1/m', burst: 2 } }),
  });
  t.equal(put.status, 201, JSON.stringify(put.body));
  const port = gw.gateway.ports.http;
  t.equal((await fromClient(port, HOST, '2001:db8:1:2::5')).status, 200);
  t.equal(
    (await fromClient(port, HOST, '2001:db8:1:2:aaaa::6')).status,
    200,
    'another address of the same /64',
  );
  t.equal((await fromClient(port, HOST, '2001:db8:1:2::7')).status, 429, 'the /64 has spent its burst');
  t.equal((await fromClient(port, HOST, '2001:db8:1:3::5')).status, 200, 'the next /64 has its own');

  t.equal((await fromClient(port, HOST, '203.0.113.5')).status, 200);
  t.equal((await fromClient(port, HOST, '::ffff:203.0.113.5')).status, 200, 'mapped: the same IPv4 address');
  t.equal((await fromClient(port, HOST, '203.0.113.5')).status, 429, 'which has now spent its burst');
  t.equal((await fromClient(port, HOST, '203.0.113.6')).status, 200, 'IPv4 addresses are counted one by one');
});
