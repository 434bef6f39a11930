/** Parses Cache-Control (RFC 9111 §5.2) into directive → value; a header is parsed once per stored response, not per hit. */

export type Directives = Record<string, string | true>;

const NONE: Directives = Object.freeze({}) as Directives;

export function parseCacheControl(header: string | string[] | undefined): Directives {
  if (header === undefined || header === '') return NONE;
  const text = Array.isArray(header) ? header.join(',') : header;
  const out: Directives = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (name === '') continue;
    const value =
      eq < 0
        ? true
        : part
            .slice(eq + 1)
            .trim()
            .replace(/^"|"$/g, '');
    // A directive given twice with different values is invalid; the stricter reading (the first) is kept.
    if (!(name in out)) out[name] = value;
  }
  return out;
}

/** Delta-seconds (RFC 9111 §1.2.2): a non-negative integer; anything else is undefined. */
export function deltaSeconds(value: string | true | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) return undefined;
  return Math.min(Number(value), 2 ** 31);
}
