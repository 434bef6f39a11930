import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { http } from '../helpers/http.js';
import { startRedis } from '../helpers/redis-server.js';
import { waitFor } from '../helpers/wait-for.js';
import { HOST } from './kit.js';

t.test('with Redis killed, requests are answered from the backend without delay', async (t) => {
  const redis = await startRedis();
  const backend = await startBackend((req, res) => {
    res.writeHead(200, { 'cache-control': 'max-age=600' });
    res.end(`page ${req.url}`);
  });
  const gw = await startTestGateway({ env: { GERBANG_REDIS_URL: redis.url } });
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
    await redis.stop();
  });
  t.equal(
    (await gw.admin('PUT', `/v1/hosts/${HOST}`, { routes: [{ path: '/', targets: [backend.origin] }] }))
      .status,
    201,
  );
  await waitFor(
    'the host',
    async () => (await http(`${gw.url}/probe`, { host: HOST })).status === 200,
    10_000,
    20,
  );
  await http(`${gw.url}/kept`, { host: HOST });

  await redis.kill();
  for (let i = 0; i < 20; i++) {
    const started = Date.now();
    const r = await http(`${gw.url}/new-${i}`, { host: HOST });
    const ms = Date.now() - started;
    t.equal(r.status, 200);
    t.equal(r.body, `page /new-${i}`);
    t.ok(ms < 400, `request ${i} took ${ms} ms`);
  }
  const kept = await http(`${gw.url}/kept`, { host: HOST });
  t.match(kept.headers['cache-status'], /hit/, 'the memory tier still serves');
});
