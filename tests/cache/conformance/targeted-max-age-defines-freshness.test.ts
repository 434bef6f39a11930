import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// RFC 9213 §2.2: freshness comes from the targeted field; Cache-Control's max-age and Expires are ignored.
const cases: ConformanceCase[] = [
  {
    id: 'cdn-cache-control-shorter-max-age',
    kind: 'required',
    title: 'a CDN-Cache-Control max-age=1 response is stale after 2 s whatever Cache-Control says',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['CDN-Cache-Control', 'max-age=1'],
        ],
        pauseMs: 2_100,
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'cdn-cache-control-longer-than-expires',
    kind: 'required',
    title: 'a CDN-Cache-Control max-age keeps fresh a response that Cache-Control and Expires call stale',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=0'],
          ['Expires', -5000],
          ['Date', 0],
          ['CDN-Cache-Control', 'max-age=3600'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'gerbang-cache-control-s-maxage',
    kind: 'required',
    title: 'a Gerbang-Cache-Control s-maxage gives freshness to a response Cache-Control says no-cache',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-cache'],
          ['Gerbang-Cache-Control', 's-maxage=3600', false],
        ],
      },
      { expect: 'cached', expectHeaders: [['Cache-Control', 'no-cache']] },
    ],
  },
];

t.test('RFC 9213 max-age from the targeted field defines freshness', (t) => runConformance(t, cases));
