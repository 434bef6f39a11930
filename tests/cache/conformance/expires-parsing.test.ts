import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// cache-tests "expires-parse": Expires must be an HTTP-date; anything else means "already expired".
function expiresCase(
  id: string,
  kind: 'required' | 'optimal',
  values: string[],
  expect: 'cached' | 'not_cached',
  title: string,
): ConformanceCase {
  return {
    id,
    kind,
    title,
    steps: [
      {
        responseHeaders: [
          ...values.map((v): [string, string, boolean] => ['Expires', v, false]),
          ['Date', 0],
        ],
      },
      { expect },
    ],
  };
}

const cases: ConformanceCase[] = [
  expiresCase(
    'freshness-expires-32bit',
    'optimal',
    ['Tue, 19 Jan 2038 14:14:08 GMT'],
    'cached',
    'an Expires past 2^31 s',
  ),
  expiresCase(
    'freshness-expires-far-future',
    'optimal',
    ['Sun, 21 Nov 2286 04:46:39 GMT'],
    'cached',
    'a far-future Expires',
  ),
  expiresCase(
    'freshness-expires-rfc850',
    'optimal',
    ['Thursday, 18-Aug-50 02:01:18 GMT'],
    'cached',
    'the obsolete RFC 850 form',
  ),
  expiresCase(
    'freshness-expires-ansi-c',
    'optimal',
    ['Thu Aug  8 02:01:18 2050'],
    'cached',
    "ANSI C's asctime() form",
  ),
  expiresCase(
    'freshness-expires-wrong-case-weekday',
    'optimal',
    ['THU, 18 Aug 2050 02:01:18 GMT'],
    'cached',
    'weekday in upper case',
  ),
  expiresCase(
    'freshness-expires-wrong-case-month',
    'optimal',
    ['Thu, 18 AUG 2050 02:01:18 GMT'],
    'cached',
    'month in upper case',
  ),
  expiresCase(
    'freshness-expires-wrong-case-tz',
    'optimal',
    ['Thu, 18 Aug 2050 02:01:18 gMT'],
    'cached',
    'GMT in mixed case',
  ),
  expiresCase(
    'freshness-expires-invalid-utc',
    'required',
    ['Thu, 18 Aug 2050 02:01:18 UTC'],
    'not_cached',
    '"UTC" is not "GMT"',
  ),
  expiresCase(
    'freshness-expires-invalid-aest',
    'required',
    ['Thu, 18 Aug 2050 02:01:18 AEST'],
    'not_cached',
    'another time zone',
  ),
  expiresCase(
    'freshness-expires-invalid-2-digit-year',
    'required',
    ['Thu, 18 Aug 50 02:01:18 GMT'],
    'not_cached',
    'a two-digit year',
  ),
  expiresCase(
    'freshness-expires-invalid-no-comma',
    'required',
    ['Thu 18 Aug 2050 02:01:18 GMT'],
    'not_cached',
    'no comma after the weekday',
  ),
  expiresCase(
    'freshness-expires-invalid-multiple-spaces',
    'required',
    ['Thu, 18  Aug  2050 02:01:18 GMT'],
    'not_cached',
    'doubled spaces',
  ),
  expiresCase(
    'freshness-expires-invalid-date-dashes',
    'required',
    ['Thu, 18-Aug-2050 02:01:18 GMT'],
    'not_cached',
    'dashes in the date',
  ),
  expiresCase(
    'freshness-expires-invalid-time-periods',
    'required',
    ['Thu, 18 Aug 2050 02.01.18 GMT'],
    'not_cached',
    'periods in the time',
  ),
  expiresCase(
    'freshness-expires-invalid-1-digit-hour',
    'required',
    ['Thu, 18 Aug 2050 2:01:18 GMT'],
    'not_cached',
    'a one-digit hour',
  ),
  expiresCase(
    'freshness-expires-invalid-multiple-lines',
    'required',
    ['Thu, 18 Aug 2050 2:01:18 GMT', 'Thu, 18 Aug 2050 2:01:19 GMT'],
    'not_cached',
    'two invalid Expires lines',
  ),
];

t.test('RFC 9111 Expires parsing (cache-tests expires-parse)', (t) => runConformance(t, cases));
