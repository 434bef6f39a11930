import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// cache-tests "cc-stale" (RFC 5861): stale-while-revalidate and stale-if-error windows, and their end. Not mirrored:
// stale-if-error-cc-request (check): a max-age=0 response without validators is not kept, so a request's own
// stale-if-error finds nothing to fall back on.
const cases: ConformanceCase[] = [
  {
    id: 'stale-while-revalidate',
    kind: 'optimal',
    title: 'a stale-while-revalidate response is served stale while it is refreshed in the background',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=0, stale-while-revalidate=3600'],
          ['ETag', '"abc"'],
        ],
      },
      {
        pauseMs: 1_000,
        expectHeaders: [
          ['Cache-Control', 'max-age=0, stale-while-revalidate=3600'],
          ['ETag', '"abc"'],
        ],
        responseHeaders: [
          ['Cache-Control', 'max-age=3600', false],
          ['ETag', '"def"', false],
        ],
      },
      {
        expect: 'cached',
        expectHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['ETag', '"def"'],
        ],
      },
    ],
  },
  {
    id: 'stale-if-error-cc-response',
    kind: 'check',
    title: 'a stale-if-error response stands in for a 500 within its window',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=0, stale-if-error=3600']] },
      { status: 500, expectStatus: 200 },
    ],
  },
  {
    id: 'stale-if-error-cc-response-expired',
    kind: 'required',
    title: 'a stale-if-error response does not stand in for a 500 after its window',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=0, stale-if-error=1']], pauseMs: 2_100 },
      { status: 500, body: 'upstream error' },
    ],
  },
  {
    id: 'stale-if-error-cc-request-expired',
    kind: 'required',
    title: "a stale response does not stand in for a 500 after the request's stale-if-error window",
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=0']], pauseMs: 2_100 },
      { requestHeaders: [['Cache-Control', 'stale-if-error=1']], status: 500, body: 'upstream error' },
    ],
  },
  {
    id: 'stale-if-error-must-revalidate (beyond the suite)',
    kind: 'required',
    title: 'must-revalidate forbids serving stale in place of a 500, whatever stale-if-error says',
    steps: [
      {
        responseHeaders: [['Cache-Control', 'max-age=1, must-revalidate, stale-if-error=3600']],
        pauseMs: 1_600,
      },
      { status: 500, body: 'upstream error' },
    ],
  },
  {
    id: 'stale-if-error-s-maxage (beyond the suite)',
    kind: 'required',
    title: 's-maxage implies proxy-revalidate: no stale in place of a 500 for a shared cache',
    steps: [
      { responseHeaders: [['Cache-Control', 's-maxage=1, stale-if-error=3600']], pauseMs: 1_600 },
      { status: 500, body: 'upstream error' },
    ],
  },
  {
    id: 'stale-while-revalidate-s-maxage (beyond the suite)',
    kind: 'required',
    title: 's-maxage implies proxy-revalidate: no stale-while-revalidate either',
    steps: [
      { responseHeaders: [['Cache-Control', 's-maxage=1, stale-while-revalidate=3600']], pauseMs: 1_600 },
      { expect: 'not_cached' },
    ],
  },
];

t.test('RFC 5861 stale extensions (cache-tests cc-stale)', (t) => runConformance(t, cases));
