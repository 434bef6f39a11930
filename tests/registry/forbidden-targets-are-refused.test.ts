import { promises as dns, type LookupAddress } from 'node:dns';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { codeOf } from './kit.js';

/** Names resolved by the test, not by DNS; anything else (localhost) by the system resolver. */
const NAMES: Record<string, string[]> = {
  'meta.intranet.test': ['169.254.169.254'],
  'mixed.intranet.test': ['203.0.113.10', '10.1.2.3'],
  'public.intranet.test': ['203.0.113.10'],
  'loop.intranet.test': ['127.0.0.1'],
};
const resolve = async (name: string): Promise<LookupAddress[]> => {
  const list = NAMES[name];
  if (!list) return dns.lookup(name, { all: true });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

const put = (gw: Awaited<ReturnType<typeof startTestGateway>>, target: string) =>
  gw.admin('PUT', '/v1/hosts/app.paserkab.go.id', { routes: [{ path: '/', targets: [target] }] });

t.test(
  'targets that reach metadata, link-local, unspecified or Gerbang itself are always refused',
  async (t) => {
    // This gateway allows loopback (like the demo's config): what is refused here is refused whatever the config.
    const gw = await startTestGateway({
      config: { backends: { allow: ['127.0.0.0/8', '::1/128'], deny: [], resolve } },
    });
    t.teardown(() => gw.stop());
    const { http, admin } = gw.gateway.ports;
    const refused = [
      'http://169.254.169.254',
      'http://169.254.169.254:8080',
      'http://2852039166', // 169.254.169.254 as one decimal number
      'http://0251.0376.0251.0376', // ... in octal
      'http://0xa9.0xfe.0xa9.0xfe', // ... in hex
      'http://0xa9fea9fe',
      'http://[::ffff:169.254.169.254]',
      'http://[::ffff:a9fe:a9fe]',
      'http://[64:ff9b::169.254.169.254]',
      'http://[fe80::1]',
      'http://[fd00:ec2::254]',
      'http://0.0.0.0:8080',
      'http://0:8080',
      'http://[::]:8080',
      'http://metadata.google.internal',
      'http://metadata',
      'http://Metadata.Google.Internal.',
      'http://100.100.100.200',
      `http://127.0.0.1:${admin}`,
      `http://127.0.0.1:${http}`,
      `http://2130706433:${admin}`,
      `http://0177.0.0.1:${admin}`,
      `http://[::ffff:127.0.0.1]:${admin}`,
      `http://loop.intranet.test:${admin}`,
      'http://meta.intranet.test',
    ];
    for (const target of refused) {
      const res = await put(gw, target);
      t.equal(res.status, 400, `${target} → 400`);
      t.equal(codeOf(res.body), 'TARGET_FORBIDDEN', `${target} → TARGET_FORBIDDEN`);
    }
    for (const [target, code] of [
      ['http://user:secret@127.0.0.1:9000', 'INVALID_TARGET'],
      ['ftp://127.0.0.1:21', 'INVALID_TARGET'],
      ['file:///etc/passwd', 'INVALID_TARGET'],
      ['http://nowhere.intranet.test', 'INVALID_TARGET'],
    ] as const) {
      const res = await put(gw, target);
      t.equal(codeOf(res.body), code, `${target} → ${code}`);
    }
    t.equal(
      (await gw.admin('GET', '/v1/hosts')).body &&
        ((await gw.admin('GET', '/v1/hosts')).body as { hosts: unknown[] }).hosts.length,
      0,
      'nothing was stored',
    );
    t.equal((await put(gw, 'http://127.0.0.1:9000')).status, 201, 'loopback is allowed by this config');
  },
);

t.test('loopback and private networks are refused unless backends.allow lists them', async (t) => {
  const gw = await startTestGateway({
    config: { backends: { allow: ['10.20.0.0/16'], deny: ['10.20.9.0/24'], resolve } },
  });
  t.teardown(() => gw.stop());
  for (const target of [
    'http://127.0.0.1:9000',
    'http://2130706433:9000',
    'http://0177.0.0.1:9000',
    'http://0x7f000001:9000',
    'http://127.1:9000',
    'http://[::ffff:127.0.0.1]:9000',
    'http://[::1]:9000',
    'http://localhost:9000',
    'http://loop.intranet.test:9000',
    'http://10.1.2.3',
    'http://192.168.1.10',
    'http://172.16.0.1',
    'http://[fd12::1]',
    'http://10.20.9.5', // allowed network, denied subnet
    'http://mixed.intranet.test', // one of its addresses is private
  ]) {
    const res = await put(gw, target);
    t.equal(codeOf(res.body), 'TARGET_FORBIDDEN', `${target} → TARGET_FORBIDDEN`);
  }
  t.equal((await put(gw, 'http://10.20.1.5:8080')).status, 201, 'a listed private network is allowed');
  t.equal((await put(gw, 'http://203.0.113.10')).status, 200, 'a public address is allowed');
  t.equal(
    (await put(gw, 'https://public.intranet.test')).status,
    200,
    'a name resolving to public addresses is allowed',
  );
});
