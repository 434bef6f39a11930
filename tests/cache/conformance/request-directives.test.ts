import t from 'tap';
import { type ConformanceCase, fresh, runConformance } from './harness.js';

// cache-tests "cc-request" and "pragma": request directives (all `check` in the suite: HTTP does not oblige a
// cache to honour them, Gerbang does) and the deprecated Pragma. Not mirrored: ccreq-max-stale-age (Gerbang does
// not keep a response that arrives already stale and without validators, so max-stale finds nothing).
const req = (value: string): [string, string][] => [['Cache-Control', value]];

const cases: ConformanceCase[] = [
  {
    id: 'ccreq-ma0',
    kind: 'check',
    title: 'request max-age=0 bypasses a fresh stored response',
    steps: [fresh(), { requestHeaders: req('max-age=0'), expect: 'not_cached' }],
  },
  {
    id: 'ccreq-ma1',
    kind: 'check',
    title: 'request max-age=1 bypasses a stored response older than that',
    steps: [fresh({ pauseMs: 1_600 }), { requestHeaders: req('max-age=1'), expect: 'not_cached' }],
  },
  {
    id: 'ccreq-magreaterage',
    kind: 'check',
    title: 'request max-age below the upstream Age bypasses the stored response',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Age', '1800'],
        ],
      },
      { requestHeaders: req('max-age=600'), expect: 'not_cached' },
    ],
  },
  {
    id: 'ccreq-max-stale',
    kind: 'check',
    title: 'request max-stale allows a stale response',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=1']], pauseMs: 1_600 },
      { requestHeaders: req('max-stale=1000'), expect: 'cached' },
    ],
  },
  {
    id: 'ccreq-min-fresh',
    kind: 'check',
    title: 'request min-fresh beyond the remaining lifetime bypasses',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=1500']] },
      { requestHeaders: req('min-fresh=2000'), expect: 'not_cached' },
    ],
  },
  {
    id: 'ccreq-min-fresh-age',
    kind: 'check',
    title: 'request min-fresh beyond the remaining lifetime (after upstream Age) bypasses',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=1500'],
          ['Age', '1000'],
        ],
      },
      { requestHeaders: req('min-fresh=1000'), expect: 'not_cached' },
    ],
  },
  {
    id: 'ccreq-no-cache',
    kind: 'check',
    title: 'request no-cache bypasses a fresh stored response',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { requestHeaders: req('no-cache'), expect: 'not_cached' },
    ],
  },
  {
    id: 'ccreq-no-cache-lm',
    kind: 'check',
    title: 'request no-cache revalidates with If-Modified-Since',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Last-Modified', -10000],
          ['Date', 0],
        ],
      },
      { requestHeaders: req('no-cache'), expect: 'lm_validated' },
    ],
  },
  {
    id: 'ccreq-no-cache-etag',
    kind: 'check',
    title: 'request no-cache revalidates with If-None-Match',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['ETag', '"abcdefghij"'],
        ],
      },
      { requestHeaders: req('no-cache'), expect: 'etag_validated' },
    ],
  },
  {
    id: 'ccreq-no-store',
    kind: 'check',
    title: 'request no-store is not answered from the cache',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { requestHeaders: req('no-store'), expect: 'not_cached' },
    ],
  },
  {
    id: 'ccreq-no-store (stores nothing, beyond the suite)',
    kind: 'required',
    title: 'the response to a request with no-store is not stored',
    steps: [
      { requestHeaders: req('no-store'), responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'ccreq-oic',
    kind: 'check',
    title: 'only-if-cached with nothing stored gets 504',
    steps: [{ requestHeaders: req('only-if-cached'), expectStatus: 504, checkBody: false }],
  },
  {
    id: 'ccreq-oic-stored (beyond the suite)',
    kind: 'check',
    title: 'only-if-cached with a fresh stored response is answered from it',
    steps: [fresh(), { requestHeaders: req('only-if-cached'), expect: 'cached' }],
  },
  {
    id: 'pragma-request-no-cache',
    kind: 'check',
    title: 'Pragma: no-cache is ignored when the request has Cache-Control',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { requestHeaders: [['Pragma', 'no-cache']], expect: 'cached' },
    ],
  },
  {
    id: 'pragma-request-no-cache-alone (beyond the suite)',
    kind: 'check',
    title: 'Pragma: no-cache without Cache-Control is taken as no-cache (RFC 9111 §5.4)',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { suiteDefaults: false, requestHeaders: [['Pragma', 'no-cache']], expect: 'not_cached' },
    ],
  },
  {
    id: 'pragma-request-extension',
    kind: 'check',
    title: 'an unknown Pragma does not stop reuse',
    steps: [
      { responseHeaders: [['Cache-Control', 'max-age=3600']] },
      { requestHeaders: [['Pragma', 'unrecognised-extension']], expect: 'cached' },
    ],
  },
  {
    id: 'pragma-response-no-cache',
    kind: 'check',
    title: 'a response Pragma: no-cache does not stop reuse when Cache-Control gives freshness',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Pragma', 'no-cache'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'pragma-response-extension',
    kind: 'check',
    title: 'a response with an unknown Pragma is reused',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Pragma', 'unrecognised-extension'],
        ],
      },
      { expect: 'cached' },
    ],
  },
];

t.test('RFC 9111 request directives (cache-tests cc-request, pragma)', (t) => runConformance(t, cases));
