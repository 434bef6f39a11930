import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// RFC 9213 §2.1 carries RFC 5861's stale-while-revalidate and stale-if-error in targeted fields too.
const cases: ConformanceCase[] = [
  {
    id: 'cdn-cache-control-stale-if-error',
    kind: 'required',
    title: 'stale-if-error from CDN-Cache-Control stands in for a 500',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=0'],
          ['CDN-Cache-Control', 'max-age=0, stale-if-error=3600'],
        ],
      },
      { status: 500, expectStatus: 200 },
    ],
  },
  {
    id: 'cache-control-stale-if-error-ignored-under-targeted-field',
    kind: 'required',
    title: "Cache-Control's stale-if-error does not count once CDN-Cache-Control decides",
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=0, stale-if-error=3600'],
          ['CDN-Cache-Control', 'max-age=0'],
          ['ETag', '"a"'],
        ],
      },
      { status: 500, body: 'upstream error' },
    ],
  },
  {
    id: 'gerbang-cache-control-stale-while-revalidate',
    kind: 'required',
    title: 'stale-while-revalidate from Gerbang-Cache-Control serves the stale response while refreshing',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-store'],
          ['Gerbang-Cache-Control', 'max-age=1, stale-while-revalidate=3600', false],
          ['ETag', '"abc"'],
        ],
        pauseMs: 2_100,
      },
      { expect: 'cached', expectHeaders: [['ETag', '"abc"']] },
    ],
  },
];

t.test('RFC 9213 stale-if-error and stale-while-revalidate from the targeted field', (t) =>
  runConformance(t, cases),
);
