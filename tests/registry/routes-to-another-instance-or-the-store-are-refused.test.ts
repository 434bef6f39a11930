import t from 'tap';
import { freePort } from '../helpers/free-port.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';
import { codeOf } from './kit.js';

t.test(
  "a route on one instance may not reach another instance's listeners or the shared Redis",
  async (t) => {
    const redis = await startRedis();
    t.teardown(() => redis.stop());
    // Loopback is allowed (as compose allows the private ranges both instances live on): only the notion of
    // the data centre's own infrastructure stands between a route and the other instance.
    const a = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(() => a.stop());
    const put = (host: string, target: string) =>
      a.admin('PUT', `/v1/hosts/${host}`, { routes: [{ path: '/', targets: [target] }] });

    // Registered while nothing listens there; instance b then starts with its admin API on that port.
    const bAdmin = await freePort();
    const before = await put('lama.paserkab.go.id', `http://127.0.0.1:${bAdmin}`);
    t.equal(before.status, 201, `registered before b starts: ${JSON.stringify(before.body)}`);
    const b = await startTestGateway({
      env: { GERBANG_REDIS_URL: redis.url },
      config: { admin: { host: '127.0.0.1', port: bAdmin } },
    });
    t.teardown(() => b.stop());

    // Instance a learns of b from the store's change feed.
    let status = 0;
    for (const deadline = Date.now() + 5_000; Date.now() < deadline; ) {
      status = (await put('probe.paserkab.go.id', `http://127.0.0.1:${bAdmin}`)).status;
      if (status === 400) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    t.equal(status, 400, "instance a refuses b's admin port once b has started");

    const targets: Array<[string, string]> = [
      [`http://127.0.0.1:${b.gateway.ports.admin}`, "b's admin API"],
      [`http://localhost:${b.gateway.ports.admin}`, "b's admin API by name"],
      [`http://[::ffff:127.0.0.1]:${b.gateway.ports.admin}`, "b's admin API, IPv4-mapped"],
      [`http://127.0.0.1:${b.gateway.ports.http}`, "b's public HTTP listener"],
      [`https://127.0.0.1:${b.gateway.ports.https}`, "b's public HTTPS listener"],
      [`http://127.0.0.1:${redis.port}`, 'the shared Redis'],
    ];
    for (const [target, what] of targets) {
      const res = await put('app.paserkab.go.id', target);
      t.equal(res.status, 400, `${what}: ${target} → 400`);
      t.equal(codeOf(res.body), 'TARGET_FORBIDDEN', `${what} → TARGET_FORBIDDEN`);
    }
    t.equal(
      (await put('app.paserkab.go.id', `http://127.0.0.1:${bAdmin + 1}`)).status,
      201,
      'other ports are fine',
    );

    // The route registered before b existed is refused when connecting, with the client's credentials.
    const res = await http(`${a.url}/healthz`, {
      host: 'lama.paserkab.go.id',
      headers: { authorization: `Bearer ${b.gateway.adminToken}` },
      timeoutMs: 5_000,
    });
    t.equal(res.status, 502, "the old route does not reach b's admin API");
    t.notMatch(res.body, /"status":"ok"/, "b's /healthz did not answer");
  },
);
