import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// cache-tests "partial": ranges are served from a stored complete response, with its stored fields.
// (Storing 206 responses and combining them is not done: such a request is passed through.)
const full = (body: string, extra: [string, string][] = []) => ({
  responseHeaders: [['Cache-Control', 'max-age=3600'] as [string, string], ...extra],
  body,
});

const cases: ConformanceCase[] = [
  {
    id: 'partial-store-complete-reuse-partial',
    kind: 'optimal',
    title: 'a byte range is served from a stored complete response',
    steps: [
      full('01234567890'),
      { requestHeaders: [['Range', 'bytes=0-1']], expect: 'cached', expectStatus: 206, expectText: '01' },
    ],
  },
  {
    id: 'partial-store-complete-reuse-partial-no-last',
    kind: 'optimal',
    title: 'an open-ended range is served from a stored complete response',
    steps: [
      full('01234567890'),
      {
        requestHeaders: [['Range', 'bytes=1-']],
        expect: 'cached',
        expectStatus: 206,
        expectText: '1234567890',
      },
    ],
  },
  {
    id: 'partial-store-complete-reuse-partial-suffix',
    kind: 'optimal',
    title: 'a suffix range is served from a stored complete response',
    steps: [
      full('0123456789A'),
      { requestHeaders: [['Range', 'bytes=-1']], expect: 'cached', expectStatus: 206, expectText: 'A' },
    ],
  },
  {
    id: 'partial-use-headers',
    kind: 'required',
    title: 'a range from the stored response carries the stored fields',
    steps: [
      full('01234567890', [['A', '1']]),
      {
        requestHeaders: [['Range', 'bytes=0-1']],
        expect: 'cached',
        expectStatus: 206,
        expectText: '01',
        responseHeaders: [['A', '2']],
      },
    ],
  },
  {
    id: 'partial-use-stored-headers',
    kind: 'required',
    title: 'fields not updated are preserved from the stored response',
    steps: [
      full('01234567890', [['A', '1']]),
      {
        requestHeaders: [['Range', 'bytes=0-1']],
        expect: 'cached',
        expectStatus: 206,
        expectText: '01',
        expectHeaders: [['A', '1']],
      },
    ],
  },
  {
    id: 'partial-206-passed-through (beyond the suite)',
    kind: 'required',
    title: 'a 206 to a range request is passed on and not stored as the complete response',
    steps: [
      {
        requestHeaders: [['Range', 'bytes=-5']],
        status: 206,
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Content-Range', 'bytes 4-9/10'],
        ],
        body: '01234',
        expectRequestHeaders: [['Range', 'bytes=-5']],
      },
      { expect: 'not_cached' },
    ],
  },
];

t.test('RFC 9111 partial content (cache-tests partial)', (t) => runConformance(t, cases));
