import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, rowOf, twoAgencies, usageBackend, usageReport } from './kit.js';

t.test('responses served from the cache count as hits and as bytes saved', async (t) => {
  const backend = await usageBackend();
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await twoAgencies(gw, backend.origin);

  const miss = await bytesOfGet(gw, DINKES, '/cached');
  let hitBytes = 0;
  for (let i = 0; i < 2; i++) hitBytes += await bytesOfGet(gw, DINKES, '/cached');
  t.equal(backend.seen.filter((s) => s.url === '/cached').length, 1, 'the backend was asked once');
  await gw.gateway.usage.flush();

  const row = rowOf(await usageReport(gw), DINKES);
  t.match(row, {
    requests: 3,
    cacheHits: 2,
    bytesSent: miss + hitBytes,
    bytesSavedByCache: hitBytes,
    cacheHitRatio: 0.6667,
  });
});
