import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { http } from '../helpers/http.js';
import { twoGatewaysOnOneRedis } from '../helpers/two-gateways.js';
import { HOST } from './kit.js';

t.test('a purge through one instance empties the cache of the other within a second', async (t) => {
  let n = 0;
  const backend = await startBackend((_req, res) => {
    n++;
    res.writeHead(200, { 'cache-control': 'max-age=600' });
    res.end(`version ${n}`);
  });
  // Nothing goes into the Redis tier (redisMaxObjectBytes 0): B's copy lives in its memory, only the broadcast removes it.
  const cache = {
    memoryBytes: 16 * 1024 * 1024,
    maxObjectBytes: 1024 * 1024,
    redis: true,
    redisMaxObjectBytes: 0,
    redisTimeoutMs: 50,
  };
  const { a, b } = await twoGatewaysOnOneRedis(t, HOST, backend.origin, { config: { cache } });
  t.teardown(async () => {
    await backend.stop();
  });

  await http(`${b.url}/pengumuman/1`, { host: HOST });
  const cached = await http(`${b.url}/pengumuman/1`, { host: HOST });
  t.match(cached.headers['cache-status'], /hit/, 'B holds it in memory');
  const kept = await http(`${b.url}/kontak`, { host: HOST });

  const purged = await a.admin('POST', '/v1/cache/purge', { host: HOST, prefix: '/pengumuman' });
  t.equal(purged.status, 200);
  t.equal((purged.body as { instances: string }).instances, 'all');
  const at = Date.now();
  let fresh = cached.body;
  while (Date.now() - at < 1000 && fresh === cached.body) {
    fresh = (await http(`${b.url}/pengumuman/1`, { host: HOST })).body;
    if (fresh === cached.body) await new Promise((r) => setTimeout(r, 20));
  }
  t.not(fresh, cached.body, `B refetched ${Date.now() - at} ms after the purge`);
  t.equal((await http(`${b.url}/kontak`, { host: HOST })).body, kept.body, 'outside the prefix: kept');
});
