import t from 'tap';
import { startTestGateway } from '../helpers/gateway.js';

t.test('a month that is not YYYY-MM is refused with 400 INVALID_MONTH', async (t) => {
  const gw = await startTestGateway();
  t.teardown(() => gw.stop());
  for (const month of ['2026-13', '2026-1', 'december', '2026-12-01', '']) {
    const res = await gw.admin('GET', `/v1/reports/usage?month=${encodeURIComponent(month)}`);
    t.equal(res.status, 400, month);
    t.equal((res.body as { error: { code: string } }).error.code, 'INVALID_MONTH', month);
  }
});
