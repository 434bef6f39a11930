import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { codeOf } from './kit.js';

function listen(host: string, port: number, seen: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { connection: 'close' }).end(host);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

t.test(
  'backends.deny wins over backends.allow, however the denied address is written or reached',
  async (t) => {
    const seenAllowed: string[] = [];
    const seenDenied: string[] = [];
    const allowed = await listen('127.0.0.1', 0, seenAllowed);
    const port = (allowed.address() as AddressInfo).port;
    const denied = await listen('127.0.0.5', port, seenDenied);
    let answer = '127.0.0.1';
    const NAMES: Record<string, string[]> = { 'monitor.intranet.test': ['10.9.0.20'] };
    const resolve = async (name: string): Promise<LookupAddress[]> => {
      if (name === 'portal.intranet.test') return [{ address: answer, family: 4 }];
      const list = NAMES[name];
      if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return list.map((address) => ({ address, family: 4 }));
    };
    const gw = await startTestGateway({
      config: {
        backends: {
          allow: ['10.0.0.0/8', '127.0.0.0/8', 'fd00::/8'],
          deny: ['10.9.0.0/16', '127.0.0.5', 'fd00:9::/32'],
          resolve,
        },
      },
    });
    t.teardown(async () => {
      await gw.stop();
      allowed.close();
      denied.close();
    });
    const put = (host: string, target: string) =>
      gw.admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [target] }] });

    for (const target of [
      'http://10.9.1.2:8080',
      'http://10.9.0.20:9090',
      'http://127.0.0.5:6379',
      'http://[fd00:9::20]:3000',
      'http://monitor.intranet.test:9090',
      'http://[::ffff:10.9.1.2]:8080',
      'http://[::ffff:0:a09:102]:8080', // SIIT
      'http://[2002:a09:102::]:8080', // 6to4
      'http://[64:ff9b::a09:102]:8080', // NAT64
      'http://[64:ff9b:1::a09:102]:8080', // local NAT64
    ]) {
      const res = await put('app.paserkab.go.id', target);
      t.equal(codeOf(res.body), 'TARGET_FORBIDDEN', `${target} → TARGET_FORBIDDEN`);
      t.match(JSON.stringify(res.body), /backends\.deny/, 'and says it is denied');
    }
    t.equal((await put('app.paserkab.go.id', 'http://10.8.1.2:8080')).status, 201, 'the rest of allow stays');

    // At connect time too: a name that moves into the denied range is refused before a byte is sent.
    t.equal((await put('portal.paserkab.go.id', `http://portal.intranet.test:${port}`)).status, 201);
    t.equal((await http(`${gw.url}/a`, { host: 'portal.paserkab.go.id' })).status, 200);
    answer = '127.0.0.5';
    t.equal((await http(`${gw.url}/b`, { host: 'portal.paserkab.go.id', timeoutMs: 5_000 })).status, 502);
    t.same(seenDenied, [], 'the denied address saw nothing');
    t.same(seenAllowed, ['/a']);
  },
);
