import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// RFC 9213 §2.2: the first valid field of the target list (Gerbang-Cache-Control, then CDN-Cache-Control) is used
// instead of Cache-Control, whole; Cache-Control still reaches the client as the backend sent it.
const cases: ConformanceCase[] = [
  {
    id: 'cdn-cache-control-over-cache-control',
    kind: 'required',
    title: 'CDN-Cache-Control max-age stores a response whose Cache-Control says no-store',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-store'],
          ['CDN-Cache-Control', 'max-age=3600'],
        ],
      },
      { expect: 'cached', expectHeaders: [['Cache-Control', 'no-store']] },
    ],
  },
  {
    id: 'gerbang-cache-control-over-cdn-cache-control',
    kind: 'required',
    title: 'Gerbang-Cache-Control is used before CDN-Cache-Control',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-store'],
          ['CDN-Cache-Control', 'no-store'],
          ['Gerbang-Cache-Control', 'max-age=3600', false],
        ],
      },
      { expect: 'cached', expectHeaders: [['CDN-Cache-Control', 'no-store']] },
    ],
  },
  {
    id: 'cache-control-without-targeted-field',
    kind: 'required',
    title: 'without a targeted field Cache-Control decides as before',
    steps: [{ responseHeaders: [['Cache-Control', 'no-store']] }, { expect: 'not_cached' }],
  },
];

t.test('RFC 9213 targeted fields take precedence over Cache-Control', (t) => runConformance(t, cases));
