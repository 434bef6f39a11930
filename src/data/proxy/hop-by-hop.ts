/** Hop-by-hop headers (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded in either direction. */
import type { IncomingHttpHeaders } from 'node:http';
import { util } from 'undici';

export const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Request fields never passed on, by the proxied path and the upgrade path alike: hop-by-hop ones, the client's
 * credentials for a proxy, and `Expect`: Node has already answered the client's `100-continue` itself, and undici
 * refuses a request that carries it (a 502 for every large `curl -T` upload).
 */
export const NEVER_FORWARDED: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'proxy-authorization', 'expect']);

const HOP_BY_HOP_NAMES = new Set(HOP_BY_HOP);
/** Connection values that name no field to remove beyond the hop-by-hop ones. */
const NAMES_NOTHING_ELSE = new Set(['keep-alive', 'close']);

/** Sets a field; one named `__proto__` is a field like any other, not the object's prototype. */
function put(headers: Record<string, string | string[]>, name: string, value: string | string[]): void {
  if (name === '__proto__')
    Object.defineProperty(headers, name, { value, enumerable: true, configurable: true, writable: true });
  else headers[name] = value;
}

/**
 * Parses a raw upstream response head (undici's name/value buffers) without its hop-by-hop fields, in one pass
 * that builds the object as undici's `util.parseHeaders` does (a repeated field becomes an array, in order).
 * They are left out before the object is built: nearly every backend sends `Connection` and `Keep-Alive`, and
 * deleting them afterwards turned each response's header object into a slow dictionary. One pass, not a
 * filtered copy handed to parseHeaders: that looked every name up twice (one profiled run: 6.2 → 5.1 µs a response).
 */
export function parseWithoutHopByHop(raw: Buffer[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  let connection: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = util.headerNameToString(raw[i] as Buffer);
    if (HOP_BY_HOP_NAMES.has(name)) {
      if (name === 'connection') {
        const value = (raw[i + 1] as Buffer).toString('latin1');
        // What nearly every backend sends names nothing beyond the hop-by-hop fields themselves.
        if (!NAMES_NOTHING_ELSE.has(value.toLowerCase()))
          connection = connection === undefined ? value : `${connection},${value}`;
      }
      continue;
    }
    const value = (raw[i + 1] as Buffer).toString('latin1');
    // An inherited name (`constructor`, `__proto__`) is not a field seen before.
    let seen = headers[name];
    if (seen !== undefined && !Object.hasOwn(headers, name)) seen = undefined;
    if (seen === undefined) put(headers, name, value);
    else if (typeof seen === 'string') put(headers, name, [seen, value]);
    else seen.push(value);
  }
  // Fields the Connection header names are hop-by-hop too (usually it names only keep-alive or close).
  const named = connectionNamed(connection);
  if (named !== undefined) for (const key of named) if (headers[key] !== undefined) delete headers[key];
  return headers as IncomingHttpHeaders;
}

/** The field names a Connection header lists (they are hop-by-hop too); undefined when there is none. */
export function connectionNamed(connection: string | string[] | undefined): Set<string> | undefined {
  if (connection === undefined) return undefined;
  const names = new Set<string>();
  for (const line of Array.isArray(connection) ? connection : [connection]) {
    for (const token of line.split(',')) {
      const key = token.trim().toLowerCase();
      if (key) names.add(key);
    }
  }
  return names;
}
