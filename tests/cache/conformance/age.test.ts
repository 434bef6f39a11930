import t from 'tap';
import { type ConformanceCase, fresh, runConformance } from './harness.js';

// cache-tests "age-parse" and the Age / Date parts of "other": upstream Age is parsed strictly and the cache's own
// Age counts the time the response spent stored; Date is passed on unchanged.
function ageCase(
  id: string,
  ages: string[],
  expect: 'cached' | 'not_cached',
  title: string,
  maxAge = 3600,
): ConformanceCase {
  return {
    id,
    kind: 'required',
    title,
    steps: [
      {
        responseHeaders: [
          ['Date', 0],
          ['Cache-Control', `max-age=${maxAge}`],
          ...ages.map((a): [string, string, boolean] => ['Age', a, false]),
        ],
      },
      { expect },
    ],
  };
}

const cases: ConformanceCase[] = [
  ageCase('age-parse-nonnumeric', ['abc'], 'cached', 'a non-numeric Age is ignored'),
  ageCase('age-parse-negative', ['-7200'], 'cached', 'a negative Age is ignored'),
  ageCase('age-parse-float', ['7200.0'], 'cached', 'a fractional Age is ignored'),
  ageCase('age-parse-large-minus-one', ['2147483647'], 'not_cached', 'Age 2147483647 is stale'),
  ageCase('age-parse-large', ['2147483648'], 'not_cached', 'Age 2147483648 is stale'),
  ageCase('age-parse-larger', ['2147483649'], 'not_cached', 'Age 2147483649 is stale'),
  ageCase('age-parse-suffix', ['7200, 0'], 'not_cached', 'Age "old, 0" on one line uses the first value'),
  ageCase('age-parse-prefix', ['0, 7200'], 'cached', 'Age "0, old" on one line uses the first value'),
  ageCase(
    'age-parse-suffix-twoline',
    ['7200', '0'],
    'not_cached',
    'of two Age lines "old", "0" the first is used',
  ),
  ageCase(
    'age-parse-prefix-twoline',
    ['0', '7200'],
    'cached',
    'of two Age lines "0", "old" the first is used',
  ),
  ageCase('age-parse-dup-0', ['0, 0'], 'cached', 'Age "0, 0" is fresh'),
  ageCase('age-parse-dup-0-twoline', ['0', '0'], 'cached', 'two Age: 0 lines are fresh'),
  ageCase('age-parse-dup-old', ['3600', '3600'], 'cached', 'two Age lines below max-age are fresh', 10000),
  {
    id: 'other-age-gen',
    kind: 'required',
    title: 'a stored response is sent with an Age of its own',
    steps: [fresh({ pauseMs: 3_050 }), { expect: 'cached', expectHeaders: [['Age', '>', 2]] }],
  },
  {
    id: 'other-age-update-expires',
    kind: 'required',
    title: 'Age adds stored time to the upstream Age (Expires freshness)',
    steps: [
      {
        responseHeaders: [
          ['Expires', 30 * 24 * 60 * 60],
          ['Date', 0],
          ['Age', '30'],
        ],
        pauseMs: 3_050,
      },
      { expect: 'cached', expectHeaders: [['Age', '>', 32]] },
    ],
  },
  {
    id: 'other-age-update-max-age',
    kind: 'required',
    title: 'Age adds stored time to the upstream Age (max-age freshness)',
    steps: [
      fresh({ responseHeaders: [['Age', '30']], pauseMs: 3_050 }),
      { expect: 'cached', expectHeaders: [['Age', '>', 32]] },
    ],
  },
  {
    id: 'other-date-update',
    kind: 'required',
    title: 'the stored Date is not replaced',
    steps: [fresh({ pauseMs: 1_100 }), { expect: 'cached', expectHeaders: [['Date', 0]] }],
  },
  {
    id: 'other-date-update-expires',
    kind: 'required',
    title: 'the stored Date is not replaced (Expires freshness)',
    steps: [
      {
        responseHeaders: [
          ['Expires', 30 * 24 * 60 * 60],
          ['Date', 0],
        ],
        pauseMs: 1_100,
      },
      { expect: 'cached', expectHeaders: [['Date', 0]] },
    ],
  },
  {
    id: 'other-date-update-expires-update',
    kind: 'check',
    title: 'the stored Expires is left alone',
    steps: [
      {
        responseHeaders: [
          ['Expires', 30 * 24 * 60 * 60],
          ['Date', 0],
        ],
      },
      { expect: 'cached', expectHeaders: [['Expires', 30 * 24 * 60 * 60]] },
    ],
  },
];

t.test('RFC 9111 Age and Date (cache-tests age-parse, other)', (t) => runConformance(t, cases));
