import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { storeHostUnchecked } from './kit.js';

function listen(host: string, port: number, name: string, seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    // Connection: close, so the next request must open (and check) a new connection.
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end(name);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

t.test('a name that later resolves to a forbidden address is refused when connecting', async (t) => {
  const seenAllowed: string[] = [];
  const seenForbidden: string[] = [];
  const allowed = await listen('127.0.0.1', 0, 'allowed', seenAllowed);
  const port = (allowed.address() as AddressInfo).port;
  // Same port on another loopback address: reachable, but not in backends.allow.
  const forbidden = await listen('127.0.0.2', port, 'forbidden', seenForbidden);
  let answer = '127.0.0.1';
  const resolve = async (name: string): Promise<LookupAddress[]> => {
    if (name !== 'portal.intranet.test') throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return [{ address: answer, family: 4 }];
  };
  const gw = await startTestGateway({ config: { backends: { allow: ['127.0.0.1/32'], deny: [], resolve } } });
  t.teardown(async () => {
    await gw.stop();
    allowed.close();
    forbidden.close();
  });

  const put = await gw.admin('PUT', '/v1/hosts/portal.paserkab.go.id', {
    routes: [{ path: '/', targets: [`http://portal.intranet.test:${port}`] }],
  });
  t.equal(put.status, 201, 'registered while the name resolves to an allowed address');
  const first = await http(`${gw.url}/a`, { host: 'portal.paserkab.go.id' });
  t.equal(first.body, 'allowed');

  answer = '127.0.0.2';
  const second = await http(`${gw.url}/b`, { host: 'portal.paserkab.go.id' });
  t.equal(second.status, 502, 'refused at connect time');
  t.match(second.headers['content-type'], /text\/html/, 'with the branded page');
  t.same(seenForbidden, [], 'the forbidden address saw nothing');

  answer = '169.254.169.254';
  t.equal(
    (await http(`${gw.url}/c`, { host: 'portal.paserkab.go.id' })).status,
    502,
    'metadata address refused too',
  );
  t.same(seenAllowed, ['/a']);
});

t.test('a forbidden literal stored without the registration check is refused at connect time', async (t) => {
  const gw = await startTestGateway({ config: { backends: { allow: [], deny: [] } } });
  t.teardown(() => gw.stop());
  // A config file can no longer declare it (checked at start, as the API checks its own writes).
  await storeHostUnchecked(gw, 'x.paserkab.go.id', ['http://[::ffff:169.254.169.254]:80']);
  const res = await http(`${gw.url}/`, { host: 'x.paserkab.go.id', timeoutMs: 5_000 });
  t.equal(res.status, 502);
});
