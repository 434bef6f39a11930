import { type ClientRequest, request as httpRequest } from 'node:http';
import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { scrape, sum } from '../helpers/metrics-text.js';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

t.test(
  'open connections and in-flight requests rise while requests wait on the backend, and fall back',
  async (t) => {
    const held: Array<() => void> = [];
    const backend = await startBackend((_req, res) => {
      held.push(() => res.end('done'));
    });
    const gw = await startTestGateway();
    const clients: ClientRequest[] = [];
    t.teardown(async () => {
      for (const c of clients) c.destroy();
      await gw.stop();
      await backend.stop();
    });
    t.equal(
      (await gw.admin('PUT', '/v1/hosts/lambat.paserkab.go.id', simpleHost(backend.origin))).status,
      201,
    );

    const gauge = async (name: string) => sum(await scrape(gw.adminUrl), name, { listener: 'http' });
    t.equal(await gauge('gerbang_requests_in_flight'), 0, 'nothing in flight at rest');

    const answered: Array<Promise<number>> = [];
    for (let i = 0; i < 3; i++) {
      answered.push(
        new Promise((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port: gw.gateway.ports.http,
              path: `/r${i}`,
              headers: { host: 'lambat.paserkab.go.id' },
              agent: false,
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.end();
          clients.push(req);
        }),
      );
    }
    await until(async () => held.length === 3, 'the backend to hold three requests');
    t.equal(await gauge('gerbang_requests_in_flight'), 3, 'three requests in flight');
    t.equal(await gauge('gerbang_open_connections'), 3, 'three client connections open');

    for (const release of held) release();
    t.same(await Promise.all(answered), [200, 200, 200]);
    await until(async () => (await gauge('gerbang_requests_in_flight')) === 0, 'in-flight to return to 0');
    await until(async () => (await gauge('gerbang_open_connections')) === 0, 'connections to close');

    // A client that gives up mid-request must not leave the gauge counting it.
    const abandoned = httpRequest({
      host: '127.0.0.1',
      port: gw.gateway.ports.http,
      path: '/gone',
      headers: { host: 'lambat.paserkab.go.id' },
      agent: false,
    });
    abandoned.on('error', () => {});
    abandoned.end();
    await until(async () => held.length === 4, 'the backend to hold the fourth request');
    t.equal(await gauge('gerbang_requests_in_flight'), 1);
    abandoned.destroy();
    await until(
      async () => (await gauge('gerbang_requests_in_flight')) === 0,
      'an aborted request to leave the gauge',
    );
    await until(
      async () => (await gauge('gerbang_open_connections')) === 0,
      'the aborted connection to be counted closed',
    );
    held[3]?.();
  },
);
