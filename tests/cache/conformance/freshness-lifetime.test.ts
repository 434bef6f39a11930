import t from 'tap';
import { becomeStale, type ConformanceCase, runConformance } from './harness.js';

// cache-tests "cc-freshness" and "expires": freshness from max-age, s-maxage and Expires, with Date and Age.
const cases: ConformanceCase[] = [
  {
    id: 'freshness-none',
    kind: 'check',
    title: 'a response without freshness or validator is not reused',
    steps: [{}, { expect: 'not_cached' }],
  },
  {
    id: 'freshness-max-age',
    kind: 'optimal',
    title: 'positive max-age is reused',
    steps: [{ responseHeaders: [['Cache-Control', 'max-age=3600']] }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-stale',
    kind: 'required',
    title: 'max-age response is not reused once stale',
    steps: [becomeStale(), { expect: 'not_cached' }],
  },
  {
    id: 'freshness-max-age-0',
    kind: 'required',
    title: 'max-age=0 is not reused',
    steps: [{ responseHeaders: [['Cache-Control', 'max-age=0']] }, { expect: 'not_cached' }],
  },
  ...['2147483647', '2147483648', '2147483649', '99999999999'].map(
    (v, i): ConformanceCase => ({
      id: [
        'freshness-max-age-max-minus-1',
        'freshness-max-age-max',
        'freshness-max-age-max-plus-1',
        'freshness-max-age-max-plus',
      ][i] as string,
      kind: 'optimal',
      title: `max-age=${v} is reused`,
      steps: [{ responseHeaders: [['Cache-Control', `max-age=${v}`]] }, { expect: 'cached' }],
    }),
  ),
  {
    id: 'freshness-max-age-age',
    kind: 'required',
    title: 'Age greater than max-age makes it stale',
    steps: [
      {
        responseHeaders: [
          ['Date', 0],
          ['Cache-Control', 'max-age=3600'],
          ['Age', '7200'],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-date',
    kind: 'check',
    title: 'apparent age from an old Date counts against max-age',
    steps: [
      {
        responseHeaders: [
          ['Date', -7200],
          ['Cache-Control', 'max-age=3600'],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-expires',
    kind: 'optimal',
    title: 'max-age wins over a past Expires',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Expires', -7200],
          ['Date', 0],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'freshness-max-age-expires-invalid',
    kind: 'optimal',
    title: 'max-age wins over an invalid Expires',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Expires', '0', false],
          ['Date', 0],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'freshness-max-age-0-expires',
    kind: 'required',
    title: 'max-age=0 wins over a future Expires',
    steps: [
      {
        responseHeaders: [
          ['Expires', 3600],
          ['Cache-Control', 'max-age=0'],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-extension',
    kind: 'optimal',
    title: 'an unknown extension beside max-age is ignored',
    steps: [{ responseHeaders: [['Cache-Control', 'foobar, max-age=3600']] }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-case-insenstive',
    kind: 'optimal',
    title: 'directive names are case-insensitive',
    steps: [{ responseHeaders: [['Cache-Control', 'MaX-aGe=3600']] }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-negative',
    kind: 'required',
    title: 'a negative max-age is not reused',
    steps: [{ responseHeaders: [['Cache-Control', 'max-age=-3600']] }, { expect: 'not_cached' }],
  },
  {
    id: 'freshness-s-maxage-shared',
    kind: 'required',
    title: 's-maxage alone gives a shared cache freshness',
    steps: [{ responseHeaders: [['Cache-Control', 's-maxage=3600']] }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-s-maxage-shared-longer',
    kind: 'required',
    title: 'a short s-maxage wins over a longer max-age',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600, s-maxage=1']], pauseMs: 1_600 },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-s-maxage-shared-longer-reversed',
    kind: 'required',
    title: 'a short s-maxage wins over a longer max-age (s-maxage first)',
    steps: [
      { responseHeaders: [['Cache-Control', 's-maxage=1, max-age=3600']], pauseMs: 1_600 },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-s-maxage-shared-longer-multiple',
    kind: 'required',
    title: 'a short s-maxage wins over a longer max-age (two header lines)',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Cache-Control', 's-maxage=1'],
        ],
        pauseMs: 1_600,
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-s-maxage-shared-shorter',
    kind: 'optimal',
    title: 'a long s-maxage wins over a shorter max-age',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=1, s-maxage=3600']], pauseMs: 1_600 },
      { expect: 'cached' },
    ],
  },
  {
    id: 'freshness-max-age-s-maxage-shared-shorter-expires',
    kind: 'optimal',
    title: 'a long s-maxage wins over max-age=0 and a past Expires',
    steps: [
      {
        responseHeaders: [
          ['Expires', -10],
          ['Cache-Control', 'max-age=0, s-maxage=3600'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'freshness-expires-future',
    kind: 'optimal',
    title: 'a future Expires is reused',
    steps: [
      {
        responseHeaders: [
          ['Expires', 30 * 24 * 60 * 60],
          ['Date', 0],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'freshness-expires-past',
    kind: 'required',
    title: 'a past Expires is not reused',
    steps: [
      {
        responseHeaders: [
          ['Expires', -30 * 24 * 60 * 60],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-expires-present',
    kind: 'required',
    title: 'Expires equal to Date is not reused',
    steps: [
      {
        responseHeaders: [
          ['Expires', 0],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-expires-old-date',
    kind: 'required',
    title: 'Expires older than Date (both in the future) is not reused',
    steps: [
      {
        responseHeaders: [
          ['Expires', 300],
          ['Date', 400],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-expires-invalid',
    kind: 'required',
    title: 'Expires: 0 means already expired',
    steps: [
      {
        responseHeaders: [
          ['Expires', '0', false],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-expires-invalid-date',
    kind: 'optimal',
    title: 'a future Expires is reused even with an invalid Date',
    steps: [
      {
        responseHeaders: [
          ['Date', 'foo', false],
          ['Expires', 10],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'freshness-expires-age-slow-date',
    kind: 'required',
    title: 'Age beyond Expires minus a slow Date makes it stale',
    steps: [
      {
        responseHeaders: [
          ['Date', -10],
          ['Expires', 10],
          ['Age', '25'],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-expires-age-fast-date',
    kind: 'required',
    title: 'Age beyond Expires minus a fast Date makes it stale',
    steps: [
      {
        responseHeaders: [
          ['Date', 10],
          ['Expires', 20],
          ['Age', '15'],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
];

t.test('RFC 9111 freshness lifetime (cache-tests cc-freshness, expires)', (t) => runConformance(t, cases));
