import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

/** Fields frameworks build URLs, redirects and client addresses from, in the spellings servers treat alike. */
const CLAIMS = [
  ['X-Original-URL', '/admin'],
  ['X-Rewrite-URL', '/admin'],
  ['X-Forwarded-Scheme', 'javascript'],
  ['X-Forwarded-Port', '1'],
  ['X-Forwarded-Server', 'evil.example'],
  ['X-Forwarded-Prefix', '/"><script>alert(1)</script>'],
  ['X-Forwarded-Ssl', 'on'],
  ['X-Forwarded-Client-Cert', 'Hash=1;Subject="CN=admin"'],
  ['X-Client-IP', '6.6.6.6'],
  ['True-Client-IP', '6.6.6.6'],
  ['X-Cluster-Client-IP', '6.6.6.6'],
  ['Client-IP', '6.6.6.6'],
  ['X-Host', 'evil.example'],
  ['X-Original-Host', 'evil.example'],
  ['X-URL-Scheme', 'https'],
  ['X_Forwarded_Host', 'evil.example'],
  ['X_Forwarded_For', '6.6.6.6'],
  ['x-forwarded_proto', 'https'],
  ['X_Real_IP', '6.6.6.6'],
  ['X_Original_URL', '/admin'],
  ['X_Request_Id', 'forged'],
  ['Proxy', 'http://evil.example:3128'],
] as const;

const headers = Object.fromEntries(CLAIMS);

t.test(
  'an untrusted client’s URL and address claims are dropped, the true ones written by Gerbang',
  async (t) => {
    const backend = await startBackend();
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await backend.stop();
    });
    await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
    const port = gw.gateway.ports.http;
    const res = await http(`${gw.url}/page`, { host: 'dinkes.paserkab.go.id', headers });
    t.equal(res.status, 200);
    const seen = backend.seen.at(-1)?.headers ?? {};
    for (const [name] of CLAIMS) {
      const key = name.toLowerCase();
      // Written by Gerbang with the truth, checked below.
      if (key !== 'x-forwarded-port') t.notOk(key in seen, `${name} is dropped`);
    }
    t.equal(seen['x-forwarded-port'], String(port), 'X-Forwarded-Port is the listener’s');
    t.equal(seen['x-forwarded-proto'], 'http');
    t.equal(seen['x-forwarded-for'], '127.0.0.1');
    t.equal(seen['x-forwarded-host'], `dinkes.paserkab.go.id:${port}`);
    t.not(seen['x-request-id'], 'forged');
  },
);

t.test('a trusted proxy’s claims pass, but underscore spellings and httpoxy never do', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway({ config: { trustedProxies: ['127.0.0.0/8'] } });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  const res = await http(`${gw.url}/page`, { host: 'dinkes.paserkab.go.id', headers });
  t.equal(res.status, 200);
  const seen = backend.seen.at(-1)?.headers ?? {};
  t.equal(
    seen['x-forwarded-prefix'],
    '/"><script>alert(1)</script>',
    'a trusted proxy speaks for the client',
  );
  t.equal(seen['x-forwarded-port'], '1');
  t.equal(seen['true-client-ip'], '6.6.6.6');
  for (const key of [
    'x_forwarded_host',
    'x_forwarded_for',
    'x-forwarded_proto',
    'x_real_ip',
    'x_request_id',
    'proxy',
  ])
    t.notOk(key in seen, `${key} is dropped whoever sends it`);
});
