import t from 'tap';
import { startBackend } from '../helpers/backend.js';
import { startTestGateway } from '../helpers/gateway.js';
import { bytesOfGet, DINKES, DISDIK, rowOf, twoAgencies, usageReport } from './kit.js';

const SLOW_MS = 120;

t.test('the p95 upstream time is the upper bound of the bucket holding the 95th percentile', async (t) => {
  const backend = await startBackend((req, res) => {
    const answer = () => res.end('ok');
    if (req.url === '/slow') setTimeout(answer, SLOW_MS);
    else answer();
  });
  const gw = await startTestGateway();
  t.teardown(async () => {
    await gw.stop();
    await backend.stop();
  });
  await twoAgencies(gw, backend.origin);
  // dinkes: 19 fast and 1 slow, the 95th percentile is the 19th, a fast one. disdik: half slow.
  for (let i = 0; i < 20; i++) await bytesOfGet(gw, DINKES, i === 0 ? '/slow' : '/fast');
  for (let i = 0; i < 10; i++) await bytesOfGet(gw, DISDIK, i % 2 === 0 ? '/slow' : '/fast');
  await gw.gateway.usage.flush();

  const report = await usageReport(gw);
  const fast = rowOf(report, DINKES)?.p95UpstreamMs ?? Number.NaN;
  const slow = rowOf(report, DISDIK)?.p95UpstreamMs ?? Number.NaN;
  t.ok(fast <= 50, `dinkes: a fast bucket (${fast} ms)`);
  t.ok(slow >= 250 && slow <= 500, `disdik: the bucket holding ${SLOW_MS} ms (${slow} ms)`);
  t.equal(rowOf(report, DINKES)?.days[0]?.p95UpstreamMs, fast, 'the day’s p95 is the month’s here');
});
