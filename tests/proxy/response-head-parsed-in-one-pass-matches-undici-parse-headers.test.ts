import t from 'tap';
import { util } from 'undici';
import { HOP_BY_HOP, parseWithoutHopByHop } from '../../src/data/proxy/hop-by-hop.js';

/** A raw head as undici hands it over: name, value, name, value... as buffers. */
const rawOf = (pairs: [string, string][]): Buffer[] =>
  pairs.flatMap(([name, value]) => [Buffer.from(name, 'latin1'), Buffer.from(value, 'latin1')]);

/** What the two-step parse gave: undici's parseHeaders on the head without hop-by-hop and Connection-named fields. */
function reference(pairs: [string, string][]): Record<string, unknown> {
  const named = new Set<string>();
  for (const [name, value] of pairs)
    if (name.toLowerCase() === 'connection')
      for (const token of value.split(',')) {
        const key = token.trim().toLowerCase();
        if (key !== 'keep-alive' && key !== 'close' && key) named.add(key);
      }
  const kept = pairs.filter(([name]) => {
    const key = name.toLowerCase();
    return !HOP_BY_HOP.includes(key) && !named.has(key);
  });
  return util.parseHeaders(rawOf(kept)) as Record<string, unknown>;
}

const heads: [string, [string, string][]][] = [
  [
    'a usual nginx head',
    [
      ['Server', 'nginx'],
      ['Date', 'Tue, 01 Dec 2026 17:00:00 GMT'],
      ['Content-Type', 'text/html; charset=utf-8'],
      ['Content-Length', '1024'],
      ['Connection', 'keep-alive'],
      ['Keep-Alive', 'timeout=75'],
      ['ETag', '"bench-1k-v1"'],
      ['Cache-Control', 'public, max-age=60'],
    ],
  ],
  [
    'repeated fields, set-cookie among them',
    [
      ['Set-Cookie', 'a=1'],
      ['Vary', 'Accept'],
      ['set-cookie', 'b=2'],
      ['VARY', 'Accept-Encoding'],
      ['Set-Cookie', 'c=3'],
    ],
  ],
  [
    'a Connection that names fields',
    [
      ['Connection', 'close, X-Private'],
      ['X-Private', 'secret'],
      ['X-Kept', 'yes'],
      ['Transfer-Encoding', 'chunked'],
      ['Upgrade', 'h2c'],
      ['Trailer', 'x-t'],
      ['Proxy-Connection', 'keep-alive'],
    ],
  ],
  [
    'names Object.prototype has',
    [
      ['__proto__', 'p1'],
      ['constructor', 'c1'],
      ['toString', 't1'],
      ['__proto__', 'p2'],
      ['hasOwnProperty', 'h1'],
    ],
  ],
  ['no fields at all', []],
  ['a latin1 value', [['X-Name', 'Caf\u00e9']]],
];

t.test(
  'the one-pass parse of a response head gives what parseHeaders gave after the hop-by-hop filter',
  async (t) => {
    for (const [what, pairs] of heads) {
      const got = parseWithoutHopByHop(rawOf(pairs));
      t.same(JSON.parse(JSON.stringify(got)), JSON.parse(JSON.stringify(reference(pairs))), what);
      t.same(Object.keys(got), Object.keys(reference(pairs)), `${what}: same fields in the same order`);
      t.equal(
        Object.getPrototypeOf(got),
        Object.prototype,
        `${what}: a plain object, its prototype untouched`,
      );
    }
  },
);
