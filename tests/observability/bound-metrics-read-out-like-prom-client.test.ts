import { Counter, Histogram, Registry } from 'prom-client';
import t from 'tap';
import { BoundCounter, BoundHistogram } from '../../src/observability/bound-metrics.js';
import { LATENCY_BUCKETS } from '../../src/observability/metrics.js';

t.test("bound counters and histograms print exactly what prom-client's own would", async (t) => {
  const ours = new Registry();
  const theirs = new Registry();
  const help = 'test series';
  const oc = new BoundCounter({
    name: 'x_total',
    help,
    labelNames: ['host', 'code'] as const,
    registers: [ours],
  });
  const tc = new Counter({
    name: 'x_total',
    help,
    labelNames: ['host', 'code'] as const,
    registers: [theirs],
  });
  const oh = new BoundHistogram({
    name: 'x_seconds',
    help,
    labelNames: ['host'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [ours],
  });
  const th = new Histogram({
    name: 'x_seconds',
    help,
    labelNames: ['host'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [theirs],
  });

  const values = [0.0005, 0.001, 0.0011, 0.02, 0.25, 0.2500001, 3, 30, 31, 120];
  for (const [i, v] of values.entries()) {
    const host = i % 2 === 0 ? 'a.paserkab.go.id' : 'b.paserkab.go.id';
    oh.bind({ host }).observe(v);
    th.observe({ host }, v);
    oc.bind({ host, code: '2xx' }).inc();
    tc.inc({ host, code: '2xx' });
  }
  oc.bind({ host: 'a.paserkab.go.id', code: '5xx' }).inc(3);
  tc.inc({ host: 'a.paserkab.go.id', code: '5xx' }, 3);

  t.equal(await ours.metrics(), await theirs.metrics());
  t.same(
    oc.bind({ host: 'a.paserkab.go.id', code: '5xx' }),
    oc.bind({ host: 'a.paserkab.go.id', code: '5xx' }),
    'the same labels give the same slot',
  );
  // prom-client drops reset series; ours keep their slots (held by the hot path) at zero.
  ours.resetMetrics();
  const after = (await ours.metrics()).split('\n').filter((l) => l !== '' && !l.startsWith('#'));
  t.ok(after.length > 0);
  t.ok(
    after.every((l) => l.endsWith(' 0')),
    'a reset sets every series to zero',
  );
});
