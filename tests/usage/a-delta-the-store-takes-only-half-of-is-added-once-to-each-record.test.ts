import { pino } from 'pino';
import t from 'tap';
import { DEFAULT_TRAFFIC_HOURS } from '../../src/config/defaults.js';
import { buildTrafficReport } from '../../src/control/usage/traffic-report.js';
import { storeSink, UsageFlusher } from '../../src/control/usage/usage-flusher.js';
import { buildUsageReport } from '../../src/control/usage/usage-report.js';
import { UsageMeter } from '../../src/observability/usage-meter.js';
import type { Store } from '../../src/store/store.js';
import { startTestGateway } from '../helpers/gateway.js';
import { DINKES } from './kit.js';

t.test(
  'a delta whose hour the store refuses but whose day it takes is added once to each, on the next flush',
  async (t) => {
    const gw = await startTestGateway();
    t.teardown(() => gw.stop());
    const real = gw.gateway.store;
    let refuseHours = true;
    // The gateway's own store, failing its hourly writes while `refuseHours` (as a Redis timeout would).
    const store = new Proxy(real, {
      get(target, prop) {
        if (prop === 'addCounters') {
          return (group: string, record: string, deltas: Record<string, number>) =>
            refuseHours && group.startsWith('traffic:')
              ? Promise.reject(new Error('store timed out'))
              : target.addCounters(group, record, deltas);
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const meter = new UsageMeter();
    const flusher = new UsageFlusher({
      sink: storeSink(store),
      meter,
      metrics: gw.gateway.metrics,
      logger: pino({ level: 'silent' }),
      intervalMs: 60_000,
    });
    for (let i = 0; i < 3; i++) meter.count({ name: DINKES, agency: 'dinkes' }, 200, 100, 5, false);

    const month = new Date().toISOString().slice(0, 7);
    const figures = async () => ({
      day: (await buildUsageReport(real, month)).hosts.find((h) => h.host === DINKES)?.requests ?? 0,
      hour: (await buildTrafficReport(real, { hours: DEFAULT_TRAFFIC_HOURS })).hosts.find(
        (h) => h.host === DINKES,
      )?.requests,
    });
    await flusher.flush();
    t.same(await figures(), { day: 3, hour: undefined }, 'the day took its counts, the hour did not');
    refuseHours = false;
    await flusher.flush();
    t.same(
      await figures(),
      { day: 3, hour: 3 },
      'the next flush writes the hour only: the day is not counted twice',
    );
    await flusher.flush();
    t.same(await figures(), { day: 3, hour: 3 }, 'and nothing is owed after');
  },
);
