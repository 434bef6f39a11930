/** The request target as Gerbang routes, keys and forwards it: one origin-form path, or a refusal when backends could read it another way. */
import { normalizeRequestHost } from '../../model/host-name.js';

/** The target in origin-form, its path normalised (RFC 3986 §6.2.2.2), the index of `?` in `url` (-1 without one). */
export interface RequestTarget {
  readonly url: string;
  readonly path: string;
  readonly q: number;
}

/** Why a target is refused: it disagrees with Host, or its path could be read in more than one way. */
export type TargetRefusal = 'AMBIGUOUS_HOST' | 'AMBIGUOUS_PATH';

const ABSOLUTE_FORM = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/;
/** Anything that may need a second look; the common path has none of it and is taken as it is. */
const SUSPECT = /[%\\#]|\/\./;
const HEX = /^[0-9a-fA-F]{2}$/;
/** Unreserved characters (RFC 3986 §2.3): percent-encoded, they mean the same, and every backend decodes them. */
const UNRESERVED = /^[A-Za-z0-9._~-]$/;

/**
 * Reads the request target. Origin-form is taken as it is; absolute-form (RFC 9112 §3.2.2) only when its scheme is
 * the listener's and its host is the Host header's, and is then routed on its path. The path must mean one thing
 * to the router and to what lies behind: a URL library (WHATWG URL, as reply-from once used) turns `\` into
 * `/`, resolves `.`, `..` and `%2e` segments and drops a `#` part (Gerbang sends the path as it is); backends
 * decode `%2f`, `%5c` and unreserved escapes, and servlet containers read `..;x` as `..`. So a backslash, a
 * fragment, a dot segment in any spelling and an encoded slash or backslash are refused; unreserved escapes are
 * decoded, so that the router, the cache key and the backend all see the same path.
 */
export function readRequestTarget(
  raw: string,
  scheme: 'http' | 'https',
  hostName: string,
): RequestTarget | TargetRefusal {
  let url = raw;
  if (url.charCodeAt(0) !== 47 /* / */) {
    const absolute = ABSOLUTE_FORM.exec(url);
    if (absolute === null) return 'AMBIGUOUS_PATH';
    if ((absolute[1] as string).toLowerCase() !== scheme) return 'AMBIGUOUS_HOST';
    if (normalizeRequestHost(absolute[2]) !== hostName) return 'AMBIGUOUS_HOST';
    const rest = absolute[3] as string;
    url = rest.charCodeAt(0) === 47 ? rest : `/${rest}`;
  }
  let q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (q >= 0 && url.indexOf('#', q) >= 0) return 'AMBIGUOUS_PATH';
  if (!SUSPECT.test(path)) return { url, path, q };
  const normalised = normalizePath(path);
  if (normalised === undefined) return 'AMBIGUOUS_PATH';
  if (normalised !== path) {
    url = normalised + (q < 0 ? '' : url.slice(q));
    q = q < 0 ? -1 : normalised.length;
    path = normalised;
  }
  return { url, path, q };
}

/** The path with unreserved escapes decoded; undefined when it holds `\`, `#`, a dot segment (`..;x` too), `%2f`, `%5c` or a bad escape. */
export function normalizePath(path: string): string | undefined {
  if (path.includes('\\') || path.includes('#')) return undefined;
  let out = path;
  if (path.includes('%')) {
    out = '';
    let from = 0;
    for (let i = path.indexOf('%'); i >= 0; i = path.indexOf('%', from)) {
      const hex = path.slice(i + 1, i + 3);
      if (!HEX.test(hex)) return undefined;
      const char = String.fromCharCode(Number.parseInt(hex, 16));
      if (char === '/' || char === '\\') return undefined;
      out += path.slice(from, i) + (UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`);
      from = i + 3;
    }
    out += path.slice(from);
  }
  for (const segment of out.split('/')) {
    // Tomcat and Jetty drop `;params` before resolving: `..;` climbs like `..` there.
    const name = segment.includes(';') ? segment.slice(0, segment.indexOf(';')) : segment;
    if (name === '.' || name === '..') return undefined;
  }
  return out;
}
