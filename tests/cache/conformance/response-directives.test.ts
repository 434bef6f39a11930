import t from 'tap';
import { type ConformanceCase, fresh, runConformance } from './harness.js';

// cache-tests "cc-response" and "auth": private, no-store, no-cache (plain and qualified), must-revalidate, and
// what lets a shared cache reuse a response to an authenticated request.
const cases: ConformanceCase[] = [
  {
    id: 'cc-resp-private-shared',
    kind: 'required',
    title: 'a shared cache does not store private',
    steps: [{ responseHeaders: [['Cache-Control', 'private, max-age=3600']] }, { expect: 'not_cached' }],
  },
  {
    id: 'cc-resp-private-shared (upper case, beyond the suite)',
    kind: 'required',
    title: 'PRIVATE in upper case is private too',
    steps: [{ responseHeaders: [['Cache-Control', 'PRIVATE, max-age=3600']] }, { expect: 'not_cached' }],
  },
  {
    id: 'cc-resp-no-store',
    kind: 'required',
    title: 'no-store is not stored',
    steps: [{ responseHeaders: [['Cache-Control', 'no-store']] }, { expect: 'not_cached' }],
  },
  {
    id: 'cc-resp-no-store-case-insensitive',
    kind: 'required',
    title: 'No-StOrE is no-store',
    steps: [{ responseHeaders: [['Cache-Control', 'No-StOrE']] }, { expect: 'not_cached' }],
  },
  {
    id: 'cc-resp-no-store-case-insensitive (with max-age, beyond the suite)',
    kind: 'required',
    title: 'max-age=10000, No-StOrE is not stored either',
    steps: [{ responseHeaders: [['Cache-Control', 'max-age=10000, No-StOrE']] }, { expect: 'not_cached' }],
  },
  {
    id: 'cc-resp-no-store-fresh',
    kind: 'required',
    title: 'no-store wins over max-age and Expires',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000, no-store'],
          ['Expires', 10000],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  ...[
    ['cc-resp-no-store-old-new', 'no-store'],
    ['cc-resp-no-store-old-max-age', 'no-store, max-age=0'],
  ].map(
    ([id, cc]): ConformanceCase => ({
      id: id as string,
      kind: 'required',
      title: `the older stored response stays in use when a newer one came with ${cc}`,
      steps: [
        {
          responseHeaders: [
            ['Cache-Control', 'max-age=10000'],
            ['Expires', 10000],
            ['Date', 0],
            ['A', '1'],
          ],
        },
        {
          responseHeaders: [
            ['Cache-Control', cc as string],
            ['Date', 0],
            ['A', '2'],
          ],
        },
        { expect: 'cached', expectHeaders: [['a', '1']] },
      ],
    }),
  ),
  {
    id: 'cc-resp-no-cache',
    kind: 'required',
    title: 'no-cache is not reused without revalidation, even with max-age and Expires',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000, no-cache'],
          ['Expires', 10000],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'cc-resp-no-cache-case-insensitive',
    kind: 'required',
    title: 'No-CaChE is no-cache',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000, No-CaChE'],
          ['Expires', 10000],
          ['Date', 0],
        ],
      },
      { expect: 'not_cached' },
    ],
  },
  {
    id: 'cc-resp-no-cache-revalidate',
    kind: 'optimal',
    title: 'no-cache is stored and revalidated on use',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-cache'],
          ['ETag', '"abcd"'],
        ],
      },
      { expect: 'etag_validated' },
    ],
  },
  {
    id: 'cc-resp-no-cache-revalidate-fresh',
    kind: 'optimal',
    title: 'no-cache with max-age and Expires is stored and revalidated on use',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000, no-cache'],
          ['Expires', 10000],
          ['Date', 0],
          ['ETag', '"abcd"'],
        ],
      },
      { expect: 'etag_validated' },
    ],
  },
  {
    id: 'headers-omit-headers-listed-in-Cache-Control-no-cache-single',
    kind: 'check',
    title: 'no-cache="a" keeps field a out of reuse, the rest is reused',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-cache="a"'],
          ['a', '1'],
          ['b', '2'],
          ['Cache-Control', 'max-age=3600'],
          ['Date', 0],
        ],
      },
      { expect: 'cached', expectHeaders: [['b', '2']], expectMissing: ['a'] },
    ],
  },
  {
    id: 'headers-omit-headers-listed-in-Cache-Control-no-cache',
    kind: 'check',
    title: 'no-cache="a, b" keeps fields a and b out of reuse',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'no-cache="a, b"'],
          ['a', '1'],
          ['b', '2'],
          ['c', '3'],
          ['Cache-Control', 'max-age=3600'],
          ['Date', 0],
        ],
      },
      { expect: 'cached', expectHeaders: [['c', '3']], expectMissing: ['a', 'b'] },
    ],
  },
  {
    id: 'cc-resp-private-qualified (beyond the suite)',
    kind: 'required',
    title: 'private="x-user" keeps x-user out of the shared cache, the rest is stored',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'private="x-user", max-age=3600'],
          ['X-User', 'citizen-1'],
          ['X-Page', 'p'],
        ],
      },
      { expect: 'cached', expectHeaders: [['x-page', 'p']], expectMissing: ['x-user'] },
    ],
  },
  {
    id: 'cc-resp-must-revalidate-fresh',
    kind: 'optimal',
    title: 'a fresh must-revalidate response is reused',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=10000, must-revalidate'],
          ['ETag', '"abcd"'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'cc-resp-must-revalidate-stale',
    kind: 'required',
    title: 'a stale must-revalidate response is revalidated',
    steps: [
      {
        responseHeaders: [
          ['Cache-Control', 'max-age=2, must-revalidate'],
          ['ETag', '"abcd"'],
        ],
      },
      {
        expect: 'cached',
        pauseMs: 2_100,
        responseHeaders: [
          ['Cache-Control', 'max-age=2, must-revalidate'],
          ['ETag', '"abcd"'],
        ],
      },
      { expect: 'etag_validated' },
    ],
  },
  {
    id: 'other-authorization',
    kind: 'required',
    title: 'a response to a request with Authorization is not reused by a shared cache',
    steps: [
      fresh({ requestHeaders: [['Authorization', 'FOO']], expectRequestHeaders: [['Authorization', 'FOO']] }),
      { expect: 'not_cached' },
    ],
  },
  ...(
    [
      ['other-authorization-public', 'max-age=3600, public'],
      ['other-authorization-must-revalidate', 'max-age=3600, must-revalidate'],
      ['other-authorization-smaxage', 's-maxage=3600'],
    ] as const
  ).map(
    ([id, cc]): ConformanceCase => ({
      id,
      kind: 'optimal',
      title: `a response to a request with Authorization is reused when it says ${cc}`,
      steps: [
        {
          requestHeaders: [['Authorization', 'FOO']],
          expectRequestHeaders: [['Authorization', 'FOO']],
          responseHeaders: [
            ['Cache-Control', cc],
            ['Date', 0],
          ],
        },
        { expect: 'cached' },
      ],
    }),
  ),
];

t.test('RFC 9111 response directives (cache-tests cc-response)', (t) => runConformance(t, cases));
