import t from 'tap';
import { bytesOfGet, DINKES, rowOf, twoInstancesOnOneRedis, usageBackend, usageReport } from './kit.js';

t.test('two instances on one Redis sum their counts exactly, however often they flush', async (t) => {
  const backend = await usageBackend();
  t.teardown(() => backend.stop());
  const [a, b] = await twoInstancesOnOneRedis(t, backend.origin);

  let bytes = 0;
  let requests = 0;
  // Flushes between requests, and flushes with nothing new: each delta is added once.
  for (let round = 0; round < 3; round++) {
    for (const gw of [a, b]) {
      bytes += await bytesOfGet(gw, DINKES, `/r${round}`);
      requests++;
    }
    await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
    await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
  }
  const fromA = await usageReport(a);
  const fromB = await usageReport(b);
  t.same(fromA.hosts, fromB.hosts, 'both instances read the same sums');
  t.match(rowOf(fromA, DINKES), { agency: 'dinkes', requests, bytesSent: bytes });
});
