import t from 'tap';
import { type ConformanceCase, runConformance, type SentHeader, type Step } from './harness.js';

// cache-tests "update304" and "conditional": a 304 freshens the stored response (its fields replace the stored
// ones, except those describing the stored body), and the cache answers its clients' conditionals itself.
const LM = 'Wed, 01 Jan 2020 00:00:00 GMT';

interface UpdateField {
  name: string;
  a: string;
  b: string;
  /** Required not to change (the stored body's own framing). */
  noUpdate?: boolean;
  kind: 'required' | 'check';
}

function response(f: UpdateField, value: string, validator: boolean): SentHeader[] {
  const h: SentHeader[] = [
    ['Date', 0],
    [f.name, value, f.noUpdate !== true],
  ];
  if (f.name !== 'Cache-Control') h.push(['Cache-Control', 'max-age=2']);
  if (validator) h.push(['ETag', `"${f.name}-etag-1"`]);
  return h;
}

function update304(f: UpdateField): ConformanceCase {
  const expected = f.noUpdate ? f.a : f.b;
  const body = f.name === 'Content-Length' ? { checkBody: false } : {};
  const steps: Step[] = [
    { responseHeaders: response(f, f.a, true), pauseMs: 2_100, ...body },
    {
      responseHeaders: response(f, f.b, true),
      expect: 'etag_validated',
      expectHeaders: [[f.name, expected]],
      ...body,
    },
    {
      responseHeaders: response(f, expected, false),
      expect: 'cached',
      expectHeaders: [[f.name, expected]],
      ...body,
    },
  ];
  return {
    id: `304-etag-update-response-${f.name}`,
    kind: f.kind,
    title: f.noUpdate ? `a 304 does not update ${f.name}` : `a 304 updates ${f.name}`,
    steps,
  };
}

const cases: ConformanceCase[] = [
  {
    id: '304-lm-use-stored-Test-Header',
    kind: 'required',
    title: 'a field the 304 omits is kept from the stored response',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=2'],
          ['Last-Modified', LM],
          ['Date', 0],
          ['Test-Header', 'stored-value-A'],
        ],
        pauseMs: 2_100,
      },
      {
        responseHeaders: [
          ['Last-Modified', LM],
          ['Date', 0],
        ],
        expect: 'lm_validated',
        expectHeaders: [['Test-Header', 'stored-value-A']],
      },
    ],
  },
  ...(
    [
      { name: 'Test-Header', a: 'value-A', b: 'value-B', kind: 'required' },
      { name: 'X-Test-Header', a: 'value-A', b: 'value-B', kind: 'required' },
      { name: 'Content-Foo', a: 'value-A', b: 'value-B', kind: 'required' },
      { name: 'X-Content-Foo', a: 'value-A', b: 'value-B', kind: 'required' },
      { name: 'Cache-Control', a: 'max-age=1', b: 'max-age=3600', kind: 'required' },
      { name: 'Content-Length', a: '5', b: '10', noUpdate: true, kind: 'required' },
      { name: 'Content-Type', a: 'text/plain', b: 'text/plain;charset=utf-8', kind: 'check' },
      {
        name: 'Expires',
        a: 'Fri, 01 Jan 2038 01:01:01 GMT',
        b: 'Mon, 11 Jan 2038 11:11:11 GMT',
        kind: 'check',
      },
      { name: 'X-Frame-Options', a: 'deny', b: 'sameorigin', kind: 'check' },
    ] satisfies UpdateField[]
  ).map(update304),
  {
    id: '304-content-encoding-kept (beyond the suite)',
    kind: 'required',
    title: 'a 304 does not replace the stored Content-Encoding (the stored body is unchanged)',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=2'],
          ['Content-Encoding', 'identity'],
          ['ETag', '"ce"'],
        ],
        pauseMs: 2_100,
      },
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=3600'],
          ['Content-Encoding', 'gzip', false],
          ['ETag', '"ce"'],
        ],
        expect: 'etag_validated',
        expectHeaders: [['Content-Encoding', 'identity']],
      },
    ],
  },
  {
    id: 'revalidation-status-change (beyond the suite)',
    kind: 'required',
    title: 'a revalidation answered with a full response of another status replaces the stored one',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=1'],
          ['ETag', '"v1"'],
        ],
        pauseMs: 1_600,
      },
      {
        status: 404,
        responseHeaders: [['Cache-Control', 'max-age=3600']],
        body: 'gone now',
        expect: 'not_cached',
      },
      { expect: 'cached', expectStatus: 404, body: 'gone now' },
    ],
  },
  {
    id: 'conditional-etag-strong-generate',
    kind: 'optimal',
    title: 'a stale response with a strong ETag is revalidated with If-None-Match',
    steps: [
      {
        responseHeaders: [
          ['Expires', 0],
          ['ETag', '"abcdef"'],
          ['Date', 0],
        ],
      },
      { expect: 'etag_validated', expectRequestHeaders: [['If-None-Match', '"abcdef"']] },
    ],
  },
  {
    id: 'conditional-etag-weak-generate-weak',
    kind: 'optimal',
    title: 'a stale response with a weak ETag is revalidated with If-None-Match',
    steps: [
      {
        responseHeaders: [
          ['Expires', 0],
          ['ETag', 'W/"abcdef"'],
          ['Date', 0],
        ],
      },
      { expect: 'etag_validated', expectRequestHeaders: [['If-None-Match', 'W/"abcdef"']] },
    ],
  },
  ...(
    [
      ['conditional-etag-strong-respond', '"abcdef"', '"abcdef"'],
      ['conditional-etag-strong-respond-unquote', 'abcdef', 'abcdef'],
      ['conditional-etag-weak-respond', 'W/"abcdef"', 'W/"abcdef"'],
      ['conditional-etag-strong-respond-multiple-first', '"abcdef"', '"abcdef", "1234", "5678"'],
      ['conditional-etag-strong-respond-multiple-second', '"abcdef"', '"1234", "abcdef", "5678"'],
      ['conditional-etag-strong-respond-multiple-last', '"abcdef"', '"1234", "5678", "abcdef"'],
    ] as const
  ).map(
    ([id, etag, inm]): ConformanceCase => ({
      id,
      kind: 'optimal',
      title: `If-None-Match ${inm} against a stored ETag ${etag} gets a 304 from the cache`,
      steps: [
        {
          responseHeaders: [
            ['Expires', 100000],
            ['ETag', etag],
            ['Date', 0],
          ],
        },
        { requestHeaders: [['If-None-Match', inm]], expect: 'cached', expectStatus: 304 },
      ],
    }),
  ),
];

t.test('RFC 9111 freshening with 304 (cache-tests update304, conditional)', (t) => runConformance(t, cases));
