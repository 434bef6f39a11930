import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';

const host = 'dinkes.paserkab.go.id';

t.test(
  'weighted round robin, least in-flight and client-address hash spread requests as declared',
  async (t) => {
    const a = await startBackend(echoHandler('a'));
    const echoSlow = echoHandler('slow');
    const slow = await startBackend((req, res) => void setTimeout(() => echoSlow(req, res), 200));
    const b = await startBackend(echoHandler('b'));
    const gw = await startTestGateway();
    t.teardown(async () => {
      await gw.stop();
      await Promise.all([a.stop(), b.stop(), slow.stop()]);
    });
    const count = async (hostName: string, n: number, concurrency = 1): Promise<Record<string, number>> => {
      const seen: Record<string, number> = {};
      let left = n;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (left-- > 0) {
            const name = JSON.parse((await http(`${gw.url}/`, { host: hostName })).body).backend as string;
            seen[name] = (seen[name] ?? 0) + 1;
          }
        }),
      );
      return seen;
    };

    await gw.admin('PUT', `/v1/hosts/${host}`, {
      routes: [{ path: '/', targets: [a.origin, b.origin], weights: [3, 1], cache: { enabled: false } }],
    });
    t.same(await count(host, 40), { a: 30, b: 10 }, 'weights 3:1');

    await gw.admin('PUT', '/v1/hosts/disdik.paserkab.go.id', {
      routes: [
        { path: '/', targets: [slow.origin, b.origin], balance: 'leastInFlight', cache: { enabled: false } },
      ],
    });
    const least = await count('disdik.paserkab.go.id', 40, 4);
    t.ok(
      (least.slow ?? 0) <= 8,
      `the slow target holds its requests, so it gets few (${JSON.stringify(least)})`,
    );

    await gw.admin('PUT', '/v1/hosts/dukcapil.paserkab.go.id', {
      routes: [
        {
          path: '/',
          targets: [a.origin, b.origin, slow.origin],
          balance: 'clientHash',
          cache: { enabled: false },
        },
      ],
    });
    const sticky = await count('dukcapil.paserkab.go.id', 12);
    t.equal(Object.keys(sticky).length, 1, `one client address, one target (${JSON.stringify(sticky)})`);

    const status = await gw.admin('GET', '/v1/status?host=dukcapil.paserkab.go.id');
    t.match(status.body, { hosts: [{ routes: [{ balance: 'clientHash' }] }] });
  },
);

t.test('weights are validated against the targets', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const put = (route: Record<string, unknown>) =>
    gw.admin('PUT', `/v1/hosts/${host}`, {
      routes: [{ path: '/', targets: ['http://127.0.0.1:9', 'http://127.0.0.1:10'], ...route }],
    });
  const short = await put({ weights: [1] });
  t.equal(short.status, 400);
  t.match(JSON.stringify(short.body), /VALIDATION_FAILED.*\/routes\/0\/weights: 1 weights for 2 targets/);
  t.equal((await put({ weights: [0, 1] })).status, 400, 'a zero weight is refused');
  t.equal((await put({ balance: 'random' })).status, 400, 'an unknown policy is refused');
  t.equal((await gw.admin('GET', `/v1/hosts/${host}`)).status, 404, 'nothing was stored');
  t.equal((await put({ weights: [2, 1], balance: 'roundRobin' })).status, 201);
  t.equal((await put({})).status, 200, 'plain string targets without weights still work');
});
