import t from 'tap';
import { bytesOfGet, DINKES, twoInstancesOnOneRedis, usageBackend } from './kit.js';
import { thisHour, trafficReport } from './traffic-kit.js';

t.test(
  'two instances on one Redis count into the same hour, each request once however often they flush',
  async (t) => {
    const backend = await usageBackend();
    t.teardown(() => backend.stop());
    const [a, b] = await twoInstancesOnOneRedis(t, backend.origin);

    const firstHour = thisHour();
    let bytes = 0;
    let requests = 0;
    for (let round = 0; round < 3; round++) {
      for (const gw of [a, b]) {
        bytes += await bytesOfGet(gw, DINKES, round === 2 && gw === b ? '/error' : `/r${round}`);
        requests++;
      }
      // Flushes with and without news: each delta is added to the hour once.
      await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
      await Promise.all([a.gateway.usage.flush(), b.gateway.usage.flush()]);
    }
    const lastHour = thisHour();
    const fromA = await trafficReport(a, `?host=${DINKES}`);
    const fromB = await trafficReport(b, `?host=${DINKES}`);
    t.same(fromA.hosts, fromB.hosts, 'both instances read the same hours');
    const row = fromA.hosts[0];
    t.match(row, {
      host: DINKES,
      agency: 'dinkes',
      requests,
      bytesSent: bytes,
      errors5xx: 1,
      cacheMisses: requests,
    });
    const busy = row?.hours.filter((h) => h.requests > 0) ?? [];
    if (firstHour === lastHour) {
      t.same(
        busy.map((h) => [h.hour, h.requests, h.bytesSent]),
        [[firstHour, requests, bytes]],
        'all of them in the one current hour',
      );
    } else {
      // The test ran across an hour's end: the two hours share the requests, still each once.
      t.equal(
        busy.reduce((n, h) => n + h.requests, 0),
        requests,
      );
    }
    t.equal(row?.hours.length, 48, 'one row per hour kept');
  },
);
