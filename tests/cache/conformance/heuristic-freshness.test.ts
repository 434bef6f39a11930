import t from 'tap';
import { type ConformanceCase, runConformance } from './harness.js';

// cache-tests "heuristic": Last-Modified gives heuristic freshness only to statuses cacheable by default (RFC 9110
// §15.1) or to responses marked public.
function heuristic(status: number, reuse: boolean, extra?: [string, string]): ConformanceCase {
  const body = status === 204 ? null : `status ${status}`;
  return {
    id: `heuristic-${status}-${reuse ? 'cached' : 'not_cached'}`,
    kind: reuse ? 'optimal' : 'required',
    title: `${status} with Last-Modified ${reuse ? 'is' : 'is not'} heuristically fresh${extra ? ' with Cache-Control: public' : ''}`,
    steps: [
      {
        status,
        body,
        responseHeaders: [['Last-Modified', -24 * 60 * 60], ['Date', 0], ...(extra ? [extra] : [])],
      },
      { expect: reuse ? 'cached' : 'not_cached', status, body },
    ],
  };
}

const cases: ConformanceCase[] = [
  ...[200, 203, 204, 404, 405, 410, 414, 501].map((s) => heuristic(s, true)),
  ...[201, 202, 403, 502, 503, 504, 599].map((s) => heuristic(s, false)),
  heuristic(599, true, ['Cache-Control', 'public']),
  {
    id: 'pragma-response-no-cache-heuristic',
    kind: 'check',
    title: 'a heuristically fresh response with Pragma: no-cache is reused',
    steps: [
      {
        responseHeaders: [
          ['Date', 0],
          ['Last-Modified', -10000],
          ['Pragma', 'no-cache'],
        ],
      },
      { expect: 'cached' },
    ],
  },
  {
    id: 'heuristic-no-last-modified (beyond the suite)',
    kind: 'required',
    title: 'a 200 without Last-Modified or explicit freshness is not reused',
    steps: [{ responseHeaders: [['Date', 0]] }, { expect: 'not_cached' }],
  },
];

t.test('RFC 9111 heuristic freshness (cache-tests heuristic)', (t) => runConformance(t, cases));
