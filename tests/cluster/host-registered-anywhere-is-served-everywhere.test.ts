import t from 'tap';
import { echoHandler, startBackend } from '../helpers/backend.js';
import { simpleHost, startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';

t.test(
  'two instances on one Redis: a host registered through one is served by the other within a second',
  async (t) => {
    const redis = await startRedis();
    const backend = await startBackend(echoHandler('dinkes'));
    const a = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    const b = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
    t.teardown(async () => {
      await a.stop();
      await b.stop();
      await backend.stop();
      await redis.stop();
    });

    const registered = Date.now();
    t.equal(
      (await a.admin('PUT', '/v1/hosts/dinkes.paserkab.go.id', simpleHost(backend.origin))).status,
      201,
    );
    let status = 0;
    while (Date.now() - registered < 1000) {
      status = (await http(`${b.url}/`, { host: 'dinkes.paserkab.go.id' })).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    t.equal(status, 200, `instance B serves it ${Date.now() - registered} ms after A registered it`);

    t.equal((await b.admin('DELETE', '/v1/hosts/dinkes.paserkab.go.id')).status, 204);
    const removed = Date.now();
    while (Date.now() - removed < 1000 && status !== 404) {
      status = (await http(`${a.url}/`, { host: 'dinkes.paserkab.go.id' })).status;
      if (status !== 404) await new Promise((r) => setTimeout(r, 20));
    }
    t.equal(status, 404, 'a removal through B reaches A too');
  },
);
