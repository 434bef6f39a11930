import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_USAGE_RETENTION_MONTHS } from '../../src/config/defaults.js';
import { UsageRetention } from '../../src/control/usage/usage-retention.js';
import { gatewayOn, usageReport } from './kit.js';

for (const kind of ['embedded', 'redis'] as const)
  t.test(`${kind}: usage months older than the retention are removed, the ones inside it kept`, async (t) => {
    const gw = await gatewayOn(t, kind);
    t.teardown(() => gw.stop());
    const store = gw.gateway.store;
    t.equal(DEFAULT_USAGE_RETENTION_MONTHS, 25, 'two budget years and the running month');
    // Seen from 2030-06 (far from the real date the gateway's own pruning at start uses): 2028-06 is the
    // 25th month back (kept), 2028-05 the first one out.
    for (const month of ['2028-04', '2028-05', '2028-06', '2030-05']) {
      await store.addCounters(`usage:${month}`, `${month}-03|dinkes|dinkes.paserkab.go.id`, { requests: 7 });
    }
    const retention = new UsageRetention({
      store,
      logger: pino({ level: 'silent' }),
      keepMonths: DEFAULT_USAGE_RETENTION_MONTHS,
      intervalMs: 60_000,
    });
    t.same(await retention.prune(new Date('2030-06-15T00:00:00Z')), ['2028-04', '2028-05']);
    for (const [month, rows] of [
      ['2028-04', 0],
      ['2028-05', 0],
      ['2028-06', 1],
      ['2030-05', 1],
    ] as const) {
      t.equal((await usageReport(gw, `?month=${month}`)).hosts.length, rows, month);
    }
    t.same(await retention.prune(new Date('2030-06-15T00:00:00Z')), [], 'a second round finds nothing');
  });
