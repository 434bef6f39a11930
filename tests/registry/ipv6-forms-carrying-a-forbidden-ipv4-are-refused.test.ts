import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { codeOf } from './kit.js';

t.test('IPv6 forms that carry an IPv4 address are judged by the address they carry', async (t) => {
  const gw = await startTestGateway({
    config: { backends: { allow: ['10.20.0.0/16'], deny: ['10.20.9.0/24'] } },
  });
  t.teardown(() => gw.stop());
  const { admin } = gw.gateway.ports;
  const put = (target: string) =>
    gw.admin('PUT', '/v1/hosts/app.paserkab.go.id', { routes: [{ path: '/', targets: [target] }] });

  const refused: Array<[string, string]> = [
    ['http://[64:ff9b:1::a9fe:a9fe]', 'local NAT64 (/96 layout) of 169.254.169.254'],
    ['http://[64:ff9b:1:a9fe:a9:fe00::]', 'local NAT64 (/48 layout) of 169.254.169.254'],
    ['http://[64:ff9b:1:a:1:203::]', 'local NAT64 (/56 layout) of 10.1.2.3'],
    ['http://[64:ff9b:1::a:102:300:0]', 'local NAT64 (/64 layout) of 10.1.2.3'],
    ['http://[64:ff9b::a01:203]', 'NAT64 well-known prefix of 10.1.2.3'],
    ['http://[::ffff:0:a9fe:a9fe]', 'SIIT of 169.254.169.254'],
    ['http://[::ffff:0:10.1.2.3]', 'SIIT of 10.1.2.3'],
    ['http://[::ffff:10.1.2.3]', 'IPv4-mapped 10.1.2.3'],
    ['http://[::a01:203]', 'IPv4-compatible 10.1.2.3'],
    ['http://[2002:a9fe:a9fe::1]', '6to4 of 169.254.169.254'],
    ['http://[2002:a01:203::1]', '6to4 of 10.1.2.3'],
    ['http://[2001:0:a9fe:a9fe::1]', 'Teredo with server 169.254.169.254'],
    ['http://[2001:0:cb00:710a::f5fe:fdfc]', 'Teredo with (obfuscated) client 10.1.2.3'],
    ['http://[fec0::1]', 'deprecated site-local'],
    ['http://[fed0:1:2::3]', 'deprecated site-local'],
    ['http://[2002:a14:905::1]', '6to4 of 10.20.9.5: allowed network, denied subnet'],
    [`http://[2002:7f00:1::]:${admin}`, "6to4 of 127.0.0.1 on Gerbang's admin port"],
  ];
  for (const [target, what] of refused) {
    const res = await put(target);
    t.equal(codeOf(res.body), 'TARGET_FORBIDDEN', `${what}: ${target} → TARGET_FORBIDDEN`);
  }
  const hosts = (await gw.admin('GET', '/v1/hosts')).body as { hosts: unknown[] };
  t.equal(hosts.hosts.length, 0, 'nothing was stored');

  t.equal((await put('http://[2002:cb00:710a::1]')).status, 201, '6to4 of a public address is allowed');
  t.equal((await put('http://[64:ff9b:1::cb00:710a]')).status, 200, 'local NAT64 of a public one too');
  t.equal((await put('http://[2002:a14:105::1]')).status, 200, '6to4 of an allowed private one too');
  t.equal((await put('http://[2001:db8::10]')).status, 200, 'a plain IPv6 address is judged as itself');
});
