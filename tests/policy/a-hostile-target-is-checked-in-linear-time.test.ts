import t from 'tap';
import { matchPathRule, matchQueryRule } from '../../src/data/policy/probe-rules.js';

/** Long repeated fragments that make a careless pattern backtrack over the whole target from every position. */
const SIZE = 16_000;
const QUERIES: Record<string, string> = {
  'repeated ../': '../'.repeat(SIZE / 3),
  'repeated union select': ' union select'.repeat(SIZE / 13),
  'open comments': `union ${'/*'.repeat(SIZE / 2)}`,
  'an open tag': `<a${' o'.repeat(SIZE / 2)}`,
  'javascript: without a call': `javascript:${'a'.repeat(SIZE)}`,
  'an open lookup': `\${a:${'x'.repeat(SIZE)}`,
  'repeated escapes': '%25%2'.repeat(SIZE / 5),
};
const PATHS: Record<string, string> = {
  'repeated dot folders': `/${'.a/'.repeat(SIZE / 3)}`,
  'a deep phpunit path': `/phpunit/${'a/'.repeat(SIZE / 2)}`,
};

t.test(
  'the probe rules check a 16 KB hostile target in a few milliseconds, whatever it repeats',
  async (t) => {
    for (const [what, query] of Object.entries(QUERIES)) {
      const started = performance.now();
      for (let i = 0; i < 5; i++) matchQueryRule(query);
      const ms = (performance.now() - started) / 5;
      t.ok(ms < 20, `${what}: ${ms.toFixed(2)} ms`);
    }
    for (const [what, path] of Object.entries(PATHS)) {
      const started = performance.now();
      for (let i = 0; i < 5; i++) matchPathRule(path);
      const ms = (performance.now() - started) / 5;
      t.ok(ms < 20, `${what}: ${ms.toFixed(2)} ms`);
    }
  },
);
