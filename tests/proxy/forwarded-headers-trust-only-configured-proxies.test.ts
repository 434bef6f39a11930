import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const spoofed = {
  'x-forwarded-for': '6.6.6.6',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'evil.example',
  forwarded: 'for=6.6.6.6',
};

t.test('an untrusted client cannot set X-Forwarded-*: Gerbang writes its own', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id', headers: spoofed });
  const seen = backend.seen.at(-1)!.headers;
  t.equal(seen['x-forwarded-for'], '127.0.0.1');
  t.equal(seen['x-forwarded-proto'], 'http');
  t.equal(seen['x-forwarded-host'], `dinkes.paserkab.go.id:${gw.gateway.ports.http}`);
  t.equal(seen['x-forwarded-port'], String(gw.gateway.ports.http));
  t.notOk(seen.forwarded, 'a client-sent Forwarded header is dropped');
});

t.test('a trusted proxy in front of Gerbang is believed, and the peer appended', async (t) => {
  const backend = await startBackend();
  const gw = await startTestGateway({ config: { trustedProxies: ['127.0.0.0/8'] } });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await gw.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin));
  await http(`${gw.url}/`, { host: 'dinkes.paserkab.go.id', headers: spoofed });
  const seen = backend.seen.at(-1)!.headers;
  t.equal(seen['x-forwarded-for'], '6.6.6.6, 127.0.0.1');
  t.equal(seen['x-forwarded-proto'], 'https');
  t.equal(seen['x-forwarded-host'], 'evil.example');
});
