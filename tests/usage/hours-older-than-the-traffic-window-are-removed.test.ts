import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_TRAFFIC_HOURS } from '../../src/config/defaults.js';
import { buildTrafficReport } from '../../src/control/usage/traffic-report.js';
import { TrafficRetention } from '../../src/control/usage/traffic-retention.js';
import { gatewayOn } from './kit.js';

const HOUR_MS = 3_600_000;
// Far from the real date, which the gateway's own retention prunes around.
const NOW = Date.parse('2030-06-15T12:30:00Z');

for (const kind of ['embedded', 'redis'] as const)
  t.test(
    `${kind}: hourly traffic counters older than the window are removed, the hours inside it kept`,
    async (t) => {
      const gw = await gatewayOn(t, kind);
      t.teardown(() => gw.stop());
      const store = gw.gateway.store;
      t.equal(DEFAULT_TRAFFIC_HOURS, 48, 'two days of hours');
      // 2030-06-13T13 is the 48th hour back from 2030-06-15T12 (kept), 2030-06-13T12 the first one out.
      const hours = ['2030-06-11T00', '2030-06-13T12', '2030-06-13T13', '2030-06-15T12'];
      for (const hour of hours) {
        await store.addCounters(`traffic:${hour}`, 'dinkes|dinkes.paserkab.go.id', { requests: 7 });
      }
      const retention = new TrafficRetention({
        store,
        logger: pino({ level: 'silent' }),
        keepHours: DEFAULT_TRAFFIC_HOURS,
        intervalMs: 60_000,
      });
      t.same(await retention.prune(NOW), ['2030-06-11T00', '2030-06-13T12']);
      for (const [hour, records] of [
        ['2030-06-11T00', 0],
        ['2030-06-13T12', 0],
        ['2030-06-13T13', 1],
        ['2030-06-15T12', 1],
      ] as const) {
        t.equal((await store.readCounters(`traffic:${hour}`)).size, records, hour);
      }
      const report = await buildTrafficReport(store, { hours: DEFAULT_TRAFFIC_HOURS, now: NOW });
      t.match(
        report.hosts,
        [{ host: 'dinkes.paserkab.go.id', requests: 14 }],
        'the window reads the two kept hours',
      );
      t.same(await retention.prune(NOW), [], 'a second round finds nothing');

      // An hour later the oldest kept hour leaves the window: it is removed next.
      t.same(
        await retention.prune(NOW + HOUR_MS),
        ['2030-06-13T13'],
        'the next round removes what left since',
      );
    },
  );
