import t from 'tap';
import { type ConformanceCase, fresh, runConformance, stale } from './harness.js';

// cache-tests "status": every final status may be stored with explicit freshness, and never reused once stale;
// must-understand turns no-store off only for statuses the cache understands.
const STATUSES = [200, 203, 204, 299, 301, 302, 303, 307, 308, 400, 404, 410, 499, 500, 502, 503, 504, 599];

const cases: ConformanceCase[] = [];
for (const status of STATUSES) {
  const body = status === 204 ? null : `status ${status}`;
  cases.push({
    id: `status-${status}-fresh`,
    kind: 'optimal',
    title: `a fresh ${status} with explicit freshness is reused`,
    steps: [fresh({ status, body }), { expect: 'cached', status, body }],
  });
  cases.push({
    id: `status-${status}-stale`,
    kind: 'required',
    title: `a stale ${status} is not reused`,
    steps: [stale({ status, body }), { expect: 'not_cached', body }],
  });
}
cases.push(
  {
    id: 'status-599-must-understand',
    kind: 'required',
    title: 'an unknown status with no-store, must-understand is not stored',
    steps: [
      { status: 599, responseHeaders: [['Cache-Control', 'max-age=3600, no-store, must-understand']] },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'status-200-must-understand',
    kind: 'optimal',
    title: 'a 200 with no-store, must-understand is stored (the cache understands 200)',
    steps: [
      { status: 200, responseHeaders: [['Cache-Control', 'max-age=3600, no-store, must-understand']] },
      { expect: 'cached' },
    ],
  },
);

t.test('RFC 9111 status codes (cache-tests status)', (t) => runConformance(t, cases));
