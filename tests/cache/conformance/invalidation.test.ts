import t from 'tap';
import { type ConformanceCase, fresh, runConformance, type SentHeader, type Step } from './harness.js';

// cache-tests "invalidation": a non-error response to an unsafe method (any method not known to be safe)
// invalidates the URL, and the Location / Content-Location it names when they are on the same origin.
const TARGET_HEADERS: SentHeader[] = [
  ['Cache-Control', 'max-age=100000'],
  ['Last-Modified', 0],
  ['Date', 0],
];

const lclResponse = (method: string): Step => ({
  method,
  requestBody: 'abc',
  responseHeaders: [
    ['Location', 'location_target'],
    ['Content-Location', 'content_location_target'],
  ],
  magicLocations: true,
});

const cases: ConformanceCase[] = [];
for (const method of ['POST', 'PUT', 'DELETE', 'M-SEARCH', 'PATCH']) {
  const beyond = method === 'PATCH' ? ' (beyond the suite)' : '';
  cases.push(
    {
      id: `invalidate-${method}${beyond}`,
      kind: 'required',
      title: `a successful ${method} invalidates the URL`,
      steps: [fresh(), { method, requestBody: 'abc' }, { expect: 'not_cached' }],
    },
    {
      id: `invalidate-${method}-failed${beyond}`,
      kind: 'optimal',
      title: `a failed ${method} does not invalidate the URL`,
      steps: [fresh(), { method, requestBody: 'abc', status: 500 }, { expect: 'cached' }],
    },
    {
      id: `invalidate-${method}-location${beyond}`,
      kind: 'check',
      title: `a successful ${method} invalidates the Location URL`,
      steps: [
        { filename: 'location_target', responseHeaders: TARGET_HEADERS },
        lclResponse(method),
        { filename: 'location_target', responseHeaders: TARGET_HEADERS, expect: 'not_cached' },
      ],
    },
    {
      id: `invalidate-${method}-cl${beyond}`,
      kind: 'check',
      title: `a successful ${method} invalidates the Content-Location URL`,
      steps: [
        { filename: 'content_location_target', responseHeaders: TARGET_HEADERS },
        lclResponse(method),
        { filename: 'content_location_target', responseHeaders: TARGET_HEADERS, expect: 'not_cached' },
      ],
    },
  );
}
cases.push({
  id: 'invalidate-POST-other-origin-location (beyond the suite)',
  kind: 'required',
  title: 'a Location on another origin does not invalidate anything here',
  steps: [
    { filename: 'location_target', responseHeaders: TARGET_HEADERS },
    {
      method: 'POST',
      requestBody: 'abc',
      responseHeaders: [
        ['Location', 'http://elsewhere.example{base}/location_target'],
        ['Content-Location', 'http://elsewhere.example{base}/location_target'],
      ],
    },
    { filename: 'location_target', expect: 'cached' },
  ],
});
cases.push({
  id: 'invalidate-safe-methods (beyond the suite)',
  kind: 'required',
  title: 'OPTIONS is safe: it does not invalidate',
  steps: [fresh(), { method: 'OPTIONS' }, { expect: 'cached' }],
});

t.test('RFC 9111 invalidation (cache-tests invalidation)', (t) => runConformance(t, cases));
