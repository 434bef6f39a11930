import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// RFC 9213 §2.1: a targeted field that is empty or not a valid Structured Field Dictionary is ignored, as if absent:
// the next field of the target list, or Cache-Control, decides.
const invalid = [
  'Max-Age=3600',
  'max-age=3600,',
  'max-age=3600;',
  'max-age="3600',
  'max-age=3600 public',
  '',
];

const cases: ConformanceCase[] = invalid.map((value, i) => ({
  id: `invalid-cdn-cache-control-${i}`,
  kind: 'required',
  title: `CDN-Cache-Control "${value}" is ignored and Cache-Control no-store decides`,
  steps: [
    {
      responseHeaders: [
        ['Cache-Control', 'no-store'],
        ['CDN-Cache-Control', value],
      ],
    },
    { expect: 'not_cached' },
  ],
}));

cases.push({
  id: 'invalid-gerbang-cache-control-falls-to-cdn-cache-control',
  kind: 'required',
  title: 'an invalid Gerbang-Cache-Control leaves the decision to CDN-Cache-Control',
  steps: [
    {
      responseHeaders: [
        ['Cache-Control', 'max-age=3600'],
        ['CDN-Cache-Control', 'no-store'],
        ['Gerbang-Cache-Control', 'max-age=3600, ,', false],
      ],
    },
    { expect: 'not_cached' },
  ],
});

t.test('RFC 9213 an invalid targeted field falls back', (t) => runConformance(t, cases));
