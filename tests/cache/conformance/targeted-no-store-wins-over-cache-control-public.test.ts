import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// RFC 9213 §2.2: a targeted field replaces Cache-Control whole, so its no-store is not outvoted by `public`.
const cases: ConformanceCase[] = [
  {
    id: 'cdn-cache-control-no-store',
    kind: 'required',
    title: 'CDN-Cache-Control no-store keeps a Cache-Control public, max-age response out of the cache',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'public, max-age=3600'],
          ['CDN-Cache-Control', 'no-store'],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'gerbang-cache-control-no-store',
    kind: 'required',
    title: 'Gerbang-Cache-Control no-store keeps a CDN-Cache-Control max-age response out of the cache',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'public, max-age=3600'],
          ['CDN-Cache-Control', 'max-age=3600'],
          ['Gerbang-Cache-Control', 'no-store', false],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
];

t.test('RFC 9213 no-store in a targeted field wins over Cache-Control public', (t) =>
  runConformance(t, cases),
);
