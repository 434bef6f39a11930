import t from 'tap';
import { type BenchReport, type CaseResult, formatTable, formatTargets } from '../../bench/report.js';

const row = (name: string, requestsPerSecond: number, origin?: 'small'): CaseResult => ({
  name,
  description: name,
  ok: true,
  requestsPerSecond,
  p50Ms: 1,
  p99Ms: 2,
  errors: 0,
  ...(origin && { origin }),
});

const report = (cases: CaseResult[]): BenchReport => ({
  date: '2026-12-01T00:00:00.000Z',
  node: 'v24.22.3',
  loadGenerator: 'wrk',
  seconds: 3,
  warmupSeconds: 1,
  connections: 64,
  threads: 1,
  runs: 1,
  pinning: 'test',
  baseline: 'bare-proxy',
  reference: 'gerbang',
  cases,
});

t.test('a proxied case the origin alone serves < 1.3× of is flagged, and its target withheld', async (t) => {
  const tight = report([
    row('backend-direct', 12_000),
    row('gerbang', 10_000, 'small'),
    row('node-http-undici', 11_000, 'small'),
  ]);
  const table = formatTable(tight);
  t.match(table, /gerbang is not comparable: the origin alone served only 1\.20×/);
  t.match(table, /\b1\.20!/, 'the origin × column marks the row');
  const target = formatTargets(tight).find((l) => l.includes('gerbang ÷ node-http-undici'));
  t.match(target, /not comparable \(origin headroom\)/);
  t.notMatch(target, /\bmet\b|MISSED/, 'no verdict on a figure the origin may have capped');

  const roomy = report([
    row('backend-direct', 40_000),
    row('gerbang', 10_000, 'small'),
    row('node-http-undici', 11_000, 'small'),
  ]);
  t.notMatch(formatTable(roomy), /is not comparable/);
  t.match(
    formatTargets(roomy).find((l) => l.includes('gerbang ÷ node-http-undici')),
    /0\.91 .*target ≥ 0\.8, issue 19.*met$/,
  );
});
