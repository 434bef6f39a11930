import t from 'tap';
import { startTestGateway, TEST_ADMIN_TOKEN } from '../helpers/gateway.js';
import { usageReport } from './kit.js';

t.test('a month without traffic is an empty report, in JSON and in CSV', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  const report = await usageReport(gw, '?month=2026-02');
  t.match(report, { month: '2026-02', hosts: [], agencies: [] });
  const csv = await fetch(`${gw.adminUrl}/v1/reports/usage?month=2026-02&format=csv`, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  t.equal(csv.status, 200);
  const lines = (await csv.text()).split('\r\n');
  t.same(lines.slice(1), [''], 'the header row alone');
  t.match(lines[0], /^month,agency,host,/);
});
