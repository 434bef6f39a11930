import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// cache-tests "cc-parse": how the Cache-Control response field is parsed.
const cc = (value: string): [string, string, boolean] => ['Cache-Control', value, false];

const cases: ConformanceCase[] = [
  {
    id: 'freshness-max-age-ignore-quoted',
    kind: 'required',
    title: 'max-age inside a quoted string (before the real max-age) is ignored',
    steps: [
      { responseHeaders: [cc('extension="max-age=3600", max-age=1')], pauseMs: 1_600 },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-ignore-quoted-rev',
    kind: 'required',
    title: 'max-age inside a quoted string (after the real max-age) is ignored',
    steps: [
      { responseHeaders: [cc('max-age=1, extension="max-age=3600"')], pauseMs: 1_600 },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'freshness-max-age-leading-zero',
    kind: 'required',
    title: 'max-age=003600 is a valid delta-seconds',
    steps: [{ responseHeaders: [cc('max-age=003600')] }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-single-quoted',
    kind: 'required',
    title: "max-age='3600' (single quotes) is invalid",
    steps: [{ responseHeaders: [cc("max-age='3600'")] }, { expect: 'not_cached' }],
  },
  {
    id: 'freshness-max-age-quoted',
    kind: 'check',
    title: 'max-age="3600" (quoted-string form) is honoured',
    steps: [{ responseHeaders: [cc('max-age="3600"')] }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-space-before-equals',
    kind: 'check',
    title: 'max-age =3600 is not a max-age directive',
    steps: [{ responseHeaders: [cc('max-age =3600')] }, { expect: 'not_cached' }],
  },
  {
    id: 'freshness-max-age-space-after-equals',
    kind: 'check',
    title: 'max-age= 3600 is not a max-age directive',
    steps: [{ responseHeaders: [cc('max-age= 3600')] }, { expect: 'not_cached' }],
  },
  {
    id: 'freshness-max-age-two-fresh-stale-sameline',
    kind: 'check',
    title: 'of two max-age directives on one line the first is used',
    steps: [{ responseHeaders: [cc('max-age=1800, max-age=1')], pauseMs: 1_600 }, { expect: 'cached' }],
  },
  {
    id: 'freshness-max-age-two-fresh-stale-sepline',
    kind: 'check',
    title: 'of two max-age directives on two lines the first is used',
    steps: [{ responseHeaders: [cc('max-age=1800'), cc('max-age=1')], pauseMs: 1_600 }, { expect: 'cached' }],
  },
  {
    id: 'cc-parse-quoted-comma (beyond the suite)',
    kind: 'check',
    title: 'a comma inside a quoted extension value does not split the directive',
    steps: [
      { responseHeaders: [cc('extension="a, max-age=3600", max-age=1')], pauseMs: 1_600 },
      { expect: 'not_cached' },
    ],
  },
];

t.test('RFC 9111 Cache-Control parsing (cache-tests cc-parse)', (t) => runConformance(t, cases));
