import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// Gerbang-Cache-Control is for Gerbang alone and never leaves it, on a miss or a hit; CDN-Cache-Control targets
// every CDN on the path (RFC 9213 §3) and is passed on as the backend sent it.
const cases: ConformanceCase[] = [
  {
    id: 'gerbang-cache-control-dropped',
    kind: 'required',
    title: 'Gerbang-Cache-Control reaches neither a miss nor a hit; CDN-Cache-Control reaches both',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=60'],
          ['CDN-Cache-Control', 'max-age=600'],
          ['Gerbang-Cache-Control', 'max-age=3600', false],
        ],
        expectMissing: ['Gerbang-Cache-Control'],
        expectHeaders: [['CDN-Cache-Control', 'max-age=600']],
      },
      {
        expect: 'cached',
        expectMissing: ['Gerbang-Cache-Control'],
        expectHeaders: [['CDN-Cache-Control', 'max-age=600']],
      },
    ],
  },
  {
    id: 'gerbang-cache-control-dropped-when-not-stored',
    kind: 'required',
    title: 'Gerbang-Cache-Control does not reach the client when it keeps the response out of the cache',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=60'],
          ['Gerbang-Cache-Control', 'no-store', false],
        ],
        expectMissing: ['Gerbang-Cache-Control'],
      },
      { expect: 'not_cached', expectMissing: ['Gerbang-Cache-Control'] },
    ],
  },
];

t.test('Gerbang-Cache-Control stays in Gerbang, CDN-Cache-Control is passed on', (t) =>
  runConformance(t, cases),
);
