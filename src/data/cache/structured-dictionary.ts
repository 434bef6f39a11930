/** Structured Field Dictionaries (RFC 8941 §4.2.2), strictly: the syntax targeted cache fields use, where one error voids the field. */

/** A member's value; parameters are read past and dropped (RFC 9213 §2.1 ignores them on cache directives). */
export type SfBareItem =
  | { type: 'integer'; value: number }
  | { type: 'decimal'; value: number }
  | { type: 'string'; value: string }
  | { type: 'token'; value: string }
  | { type: 'bytes'; value: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'inner-list' };

export type SfDictionary = Map<string, SfBareItem>;

class SfError extends Error {}

const LCALPHA = /[a-z]/;
const KEY_CHAR = /[a-z0-9_\-.*]/;
const ALPHA = /[A-Za-z]/;
const DIGIT = /[0-9]/;
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/;
const BASE64_CHAR = /[A-Za-z0-9+/=]/;

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.i] ?? '';
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
  skipSp(): void {
    while (this.peek() === ' ') this.i++;
  }
  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.i++;
  }
}

function key(r: Reader): string {
  const first = r.peek();
  if (!LCALPHA.test(first) && first !== '*') throw new SfError('key');
  const start = r.i;
  while (!r.done() && KEY_CHAR.test(r.peek())) r.i++;
  return r.s.slice(start, r.i);
}

function number(r: Reader): SfBareItem {
  const start = r.i;
  if (r.peek() === '-') r.i++;
  if (!DIGIT.test(r.peek())) throw new SfError('number');
  let decimal = false;
  while (!r.done()) {
    const c = r.peek();
    if (DIGIT.test(c)) r.i++;
    else if (c === '.' && !decimal) {
      if (r.i - start > 12) throw new SfError('decimal');
      decimal = true;
      r.i++;
    } else break;
    if (!decimal && r.i - start > 15) throw new SfError('integer');
    if (decimal && r.i - start > 16) throw new SfError('decimal');
  }
  const text = r.s.slice(start, r.i);
  if (!decimal) return { type: 'integer', value: Number(text) };
  const fraction = text.length - text.indexOf('.') - 1;
  if (fraction < 1 || fraction > 3) throw new SfError('decimal');
  return { type: 'decimal', value: Number(text) };
}

function string(r: Reader): SfBareItem {
  r.i++;
  let out = '';
  for (;;) {
    if (r.done()) throw new SfError('string');
    const c = r.s.charCodeAt(r.i++);
    if (c === 92 /* \ */) {
      const next = r.peek();
      if (next !== '"' && next !== '\\') throw new SfError('escape');
      out += next;
      r.i++;
    } else if (c === 34 /* " */) return { type: 'string', value: out };
    else if (c < 0x20 || c > 0x7e) throw new SfError('string');
    else out += String.fromCharCode(c);
  }
}

function bareItem(r: Reader): SfBareItem {
  const c = r.peek();
  if (c === '-' || DIGIT.test(c)) return number(r);
  if (c === '"') return string(r);
  if (c === '?') {
    r.i++;
    const v = r.peek();
    if (v !== '0' && v !== '1') throw new SfError('boolean');
    r.i++;
    return { type: 'boolean', value: v === '1' };
  }
  if (c === ':') {
    r.i++;
    const start = r.i;
    while (!r.done() && BASE64_CHAR.test(r.peek())) r.i++;
    if (r.peek() !== ':') throw new SfError('bytes');
    const value = r.s.slice(start, r.i);
    r.i++;
    return { type: 'bytes', value };
  }
  if (ALPHA.test(c) || c === '*') {
    const start = r.i;
    r.i++;
    while (!r.done() && TOKEN_CHAR.test(r.peek())) r.i++;
    return { type: 'token', value: r.s.slice(start, r.i) };
  }
  throw new SfError('item');
}

function parameters(r: Reader): void {
  while (r.peek() === ';') {
    r.i++;
    r.skipSp();
    key(r);
    if (r.peek() === '=') {
      r.i++;
      bareItem(r);
    }
  }
}

function innerList(r: Reader): SfBareItem {
  r.i++;
  for (;;) {
    r.skipSp();
    if (r.peek() === ')') {
      r.i++;
      parameters(r);
      return { type: 'inner-list' };
    }
    if (r.done()) throw new SfError('inner list');
    bareItem(r);
    parameters(r);
    const c = r.peek();
    if (c !== ' ' && c !== ')') throw new SfError('inner list');
  }
}

/** The dictionary in `text` (several field lines joined by commas); undefined when any part of it fails to parse. */
export function parseSfDictionary(text: string): SfDictionary | undefined {
  const r = new Reader(text);
  const out: SfDictionary = new Map();
  try {
    r.skipSp();
    while (!r.done()) {
      const name = key(r);
      let value: SfBareItem = { type: 'boolean', value: true };
      if (r.peek() === '=') {
        r.i++;
        value = r.peek() === '(' ? innerList(r) : bareItem(r);
      }
      parameters(r);
      // RFC 8941 §4.2.2: a key given again overwrites the earlier member.
      out.set(name, value);
      r.skipOws();
      if (r.done()) break;
      if (r.peek() !== ',') throw new SfError('separator');
      r.i++;
      r.skipOws();
      if (r.done()) throw new SfError('trailing comma');
    }
  } catch (err) {
    if (err instanceof SfError) return undefined;
    throw err;
  }
  return out;
}
