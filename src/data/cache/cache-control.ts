/** Parses Cache-Control (RFC 9111 §5.2) into directive → value; a header is parsed once per stored response, not per hit. */

export type Directives = Record<string, string | true>;

const NONE: Directives = Object.freeze({}) as Directives;

/** tchar (RFC 9110 §5.6.2). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Splits a field value on the commas that are not inside a quoted-string. */
function members(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quoted) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) quoted = false;
    } else if (c === 34) quoted = true;
    else if (c === 44 /* , */) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** `"..."` → its content with quoted-pairs resolved; undefined when it is not one well-formed quoted-string. */
function unquote(value: string): string | undefined {
  if (value.length < 2 || value.charCodeAt(value.length - 1) !== 34) return undefined;
  let out = '';
  for (let i = 1; i < value.length - 1; i++) {
    let c = value[i] as string;
    if (c === '"') return undefined;
    if (c === '\\') {
      i++;
      if (i >= value.length - 1) return undefined;
      c = value[i] as string;
    }
    out += c;
  }
  return out;
}

/**
 * `directive [ "=" ( token / quoted-string ) ]` per list member, names case-insensitive. A member that is not of
 * that form (whitespace around `=`, a stray quote) is ignored rather than guessed at; commas inside a
 * quoted-string do not split. A directive given twice: the first is used (RFC 9111 §4.2.1 allows this or
 * treating the response as stale).
 */
export function parseCacheControl(header: string | string[] | undefined): Directives {
  if (header === undefined || header === '') return NONE;
  const text = Array.isArray(header) ? header.join(',') : header;
  const out: Directives = {};
  for (const raw of members(text)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).toLowerCase();
    if (!TOKEN.test(name) || name in out) continue;
    if (eq < 0) {
      out[name] = true;
      continue;
    }
    const rawValue = part.slice(eq + 1);
    const value = rawValue.startsWith('"') ? unquote(rawValue) : TOKEN.test(rawValue) ? rawValue : undefined;
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** Delta-seconds (RFC 9111 §1.2.2): a non-negative integer, capped at 2^31; anything else is undefined. */
export function deltaSeconds(value: string | true | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  return Math.min(Number(value), 2 ** 31);
}

/** The field names of a qualified `no-cache="a, b"` / `private="a"`, lowercased; empty for the plain form. */
export function fieldNames(value: string | true | undefined): string[] {
  if (typeof value !== 'string') return [];
  const names: string[] = [];
  for (const part of value.split(',')) {
    const name = part.trim().toLowerCase();
    if (TOKEN.test(name)) names.push(name);
  }
  return names;
}

/** Directives back to a field value (lowercased names; values quoted where a token would not do). */
export function formatCacheControl(cc: Directives): string {
  const parts: string[] = [];
  for (const name in cc) {
    const value = cc[name];
    if (value === true || value === undefined) parts.push(name);
    else parts.push(TOKEN.test(value) ? `${name}=${value}` : `${name}="${value.replace(/["\\]/g, '\\$&')}"`);
  }
  return parts.join(', ');
}
