import t from 'tap';
import { type ConformanceCase, fresh, runConformance, type SentHeader, type Step } from './harness.js';

// cache-tests "vary", "vary-parse" and the cache-key cases of "other": a stored variant is reused only for
// requests whose Vary-named fields match; Vary: * never matches; the query is part of the key.
const VARY_BASE: SentHeader[] = [
  ['Cache-Control', 'max-age=5000'],
  ['Last-Modified', -3000],
  ['Date', 0],
];

function varySetup(vary: string, requestHeaders: [string, string][], extra: Partial<Step> = {}): Step {
  return { requestHeaders, responseHeaders: [...VARY_BASE, ['Vary', vary, vary === 'Foo']], ...extra };
}

const one = varySetup('Foo', [['Foo', '1']]);
const two = varySetup('Foo, Bar', [
  ['Foo', '1'],
  ['Bar', 'abc'],
]);
const three = varySetup('Foo, Bar, Baz', [
  ['Foo', '1'],
  ['Bar', 'abc'],
  ['Baz', '789'],
]);

function starCase(id: string, lines: string[], title: string): ConformanceCase {
  return {
    id,
    kind: 'required',
    title,
    steps: [
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Baz', '789'],
        ],
        responseHeaders: [...VARY_BASE, ...lines.map((v): SentHeader => ['Vary', v, false])],
      },
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Baz', '789'],
        ],
        expect: 'not_cached',
      },
    ],
  };
}

const cases: ConformanceCase[] = [
  {
    id: 'vary-match',
    kind: 'optimal',
    title: 'a Vary response is reused when the request matches',
    steps: [one, { requestHeaders: [['Foo', '1']], expect: 'cached' }],
  },
  {
    id: 'vary-no-match',
    kind: 'required',
    title: 'a Vary response is not reused when the request does not match',
    steps: [one, { requestHeaders: [['Foo', '2']], expect: 'not_cached' }],
  },
  {
    id: 'vary-omit-stored',
    kind: 'required',
    title: 'a Vary response stored without the field is not reused for a request with it',
    steps: [
      { responseHeaders: [...VARY_BASE, ['Vary', 'Foo']] },
      { requestHeaders: [['Foo', '1']], expect: 'not_cached' },
    ],
  },
  {
    id: 'vary-omit',
    kind: 'required',
    title: 'a Vary response is not reused for a request without the field',
    steps: [one, { expect: 'not_cached' }],
  },
  {
    id: 'vary-invalidate',
    kind: 'optimal',
    title: 'two variants are stored side by side',
    steps: [
      { ...one, body: 'foo_1' },
      { ...varySetup('Foo', [['Foo', '2']]), body: 'foo_2', expect: 'not_cached' },
      { requestHeaders: [['Foo', '1']], body: 'foo_1', expect: 'cached' },
    ],
  },
  {
    id: 'vary-cache-key',
    kind: 'optimal',
    title: 'fields not named by Vary are not part of the key',
    steps: [
      varySetup('Foo', [
        ['Foo', '1'],
        ['Other', '2'],
      ]),
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Other', '3'],
        ],
        expect: 'cached',
      },
    ],
  },
  {
    id: 'vary-2-match',
    kind: 'optimal',
    title: 'a two-way Vary response is reused when both fields match',
    steps: [
      two,
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Bar', 'abc'],
        ],
        expect: 'cached',
      },
    ],
  },
  {
    id: 'vary-2-no-match',
    kind: 'required',
    title: 'a two-way Vary response is not reused when one field differs',
    steps: [
      two,
      {
        requestHeaders: [
          ['Foo', '2'],
          ['Bar', 'abc'],
        ],
        expect: 'not_cached',
      },
    ],
  },
  {
    id: 'vary-2-match-omit',
    kind: 'required',
    title: 'a two-way Vary response is not reused for a request without the fields',
    steps: [two, { expect: 'not_cached' }],
  },
  {
    id: 'vary-3-match',
    kind: 'optimal',
    title: 'a three-way Vary response is reused when all fields match',
    steps: [
      three,
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Bar', 'abc'],
          ['Baz', '789'],
        ],
        expect: 'cached',
      },
    ],
  },
  {
    id: 'vary-3-no-match',
    kind: 'required',
    title: 'a three-way Vary response is not reused when one field differs',
    steps: [
      three,
      {
        requestHeaders: [
          ['Foo', '2'],
          ['Bar', 'abc'],
          ['Baz', '789'],
        ],
        expect: 'not_cached',
      },
    ],
  },
  {
    id: 'vary-3-order',
    kind: 'required',
    title: 'a three-way Vary response is not reused when one field differs, whatever the order',
    steps: [
      three,
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Baz', '789'],
          ['Bar', 'abcde'],
        ],
        expect: 'not_cached',
      },
    ],
  },
  {
    id: 'vary-3-omit',
    kind: 'optimal',
    title: 'a field absent from both requests matches',
    steps: [
      varySetup('Foo, Bar, Baz', [
        ['Foo', '1'],
        ['Baz', '789'],
      ]),
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Baz', '789'],
        ],
        expect: 'cached',
      },
    ],
  },
  {
    id: 'vary-star',
    kind: 'required',
    title: 'Vary: * is never reused',
    steps: [
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Baz', '789'],
        ],
        responseHeaders: [...VARY_BASE, ['Vary', '*']],
      },
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Baz', '789'],
        ],
        expect: 'not_cached',
      },
    ],
  },
  starCase('vary-syntax-star', ['*'], 'Vary: * is never reused'),
  starCase('vary-syntax-star-star', ['*, *'], 'Vary: *, * is never reused'),
  starCase('vary-syntax-star-star-lines', ['*', '*'], 'Vary: * on two lines is never reused'),
  starCase('vary-syntax-empty-star', [', *'], 'Vary: , * is never reused'),
  starCase('vary-syntax-empty-star-lines', ['', '*'], 'Vary: (empty) and * on two lines is never reused'),
  starCase('vary-syntax-star-foo', ['*, Foo'], 'Vary: *, Foo is never reused'),
  starCase('vary-syntax-foo-star', ['Foo, *'], 'Vary: Foo, * is never reused'),
  {
    id: 'vary-normalise-combine',
    kind: 'optimal',
    title: 'a field sent on two lines matches the same values on one line',
    steps: [
      varySetup('Foo', [['Foo', '1, 2']]),
      {
        requestHeaders: [
          ['Foo', '1'],
          ['Foo', '2'],
        ],
        expect: 'cached',
      },
    ],
  },
  {
    id: 'vary-normalise-space',
    kind: 'optimal',
    title: 'whitespace around list commas does not make another variant',
    steps: [varySetup('Foo', [['Foo', '1,2']]), { requestHeaders: [['Foo', ' 1, 2 ']], expect: 'cached' }],
  },
  {
    id: 'vary-case-insensitive-name (beyond the suite)',
    kind: 'required',
    title: 'Vary names are matched whatever their case',
    steps: [varySetup('fOO', [['Foo', '1']]), { requestHeaders: [['Foo', '2']], expect: 'not_cached' }],
  },
  {
    id: 'vary-empty-vs-absent (beyond the suite)',
    kind: 'required',
    title: 'an empty field value does not match a stored request where the field was absent',
    steps: [
      { responseHeaders: [...VARY_BASE, ['Vary', 'Foo']] },
      { requestHeaders: [['Foo', '']], expect: 'not_cached' },
    ],
  },
  {
    id: 'query-args-different',
    kind: 'required',
    title: 'different query arguments are different cache keys',
    steps: [fresh({ query: 'test=one' }), { query: 'test=two', expect: 'not_cached' }],
  },
  {
    id: 'query-args-same',
    kind: 'optimal',
    title: 'the same query is the same cache key',
    steps: [fresh({ query: 'test=same' }), { query: 'test=same', expect: 'cached' }],
  },
  {
    id: 'other-cookie',
    kind: 'optimal',
    title: 'a request Cookie does not stop reuse of a stored response',
    steps: [fresh(), { requestHeaders: [['Cookie', 'a=b']], expect: 'cached' }],
  },
];

t.test('RFC 9111 Vary and the cache key (cache-tests vary, vary-parse, other)', (t) =>
  runConformance(t, cases),
);
