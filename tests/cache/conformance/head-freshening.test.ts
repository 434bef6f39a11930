import t from 'tap';
import { becomeStale, type ConformanceCase, runConformance } from './harness.js';

// cache-tests "update-head" (all `check` in the suite; RFC 9111 §4.3.5): a HEAD for a stale stored GET goes to the
// backend as HEAD, and its 200 freshens the stored response when it describes the same representation.
const cases: ConformanceCase[] = [
  {
    id: 'head-writethrough',
    kind: 'check',
    title: 'a HEAD for a stale stored response reaches the backend as HEAD',
    steps: [becomeStale(), { method: 'HEAD', expectMethod: 'HEAD' }],
  },
  {
    id: 'head-200-retain',
    kind: 'check',
    title: 'stored fields the HEAD response omits are kept',
    steps: [becomeStale(), { method: 'HEAD', expectMethod: 'HEAD', expectHeaders: [['Template-A', '1']] }],
  },
  {
    id: 'head-200-freshness-update',
    kind: 'check',
    title: 'the freshness lifetime of a 200 to HEAD freshens the stored GET',
    steps: [
      becomeStale(),
      { method: 'HEAD', expectMethod: 'HEAD', responseHeaders: [['Cache-Control', 'max-age=1000']] },
      { expect: 'cached' },
    ],
  },
  {
    id: 'head-200-update',
    kind: 'check',
    title: 'fields of a 200 to HEAD replace the stored ones',
    steps: [
      becomeStale(),
      {
        method: 'HEAD',
        expectMethod: 'HEAD',
        responseHeaders: [
          ['Template-A', '2'],
          ['Cache-Control', 'max-age=1000'],
        ],
      },
      { expect: 'cached', expectHeaders: [['Template-A', '2']] },
    ],
  },
  {
    id: 'head-200-other-validator (beyond the suite)',
    kind: 'required',
    title: 'a 200 to HEAD with another ETag does not freshen the stored GET',
    steps: [
      becomeStale({ responseHeaders: [['ETag', '"one"']] }),
      {
        method: 'HEAD',
        expectMethod: 'HEAD',
        responseHeaders: [
          ['ETag', '"two"'],
          ['Cache-Control', 'max-age=1000'],
        ],
      },
      { expect: 'not_cached', responseHeaders: [['Cache-Control', 'max-age=1000']] },
    ],
  },
];

t.test('RFC 9111 freshening with HEAD (cache-tests update-head)', (t) => runConformance(t, cases));
