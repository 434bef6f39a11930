/** Request fields in which a client claims where the request came from or what URL it had: believed only from trusted proxies. */
import { HOP_BY_HOP } from './hop-by-hop.js';

/**
 * Frameworks build absolute URLs, redirects and client addresses from these (Symfony, Laravel, Rack, Spring,
 * Django, IIS rewrite, the PHP `get_client_ip` idiom); from an untrusted client they are dropped, and the ones
 * Gerbang knows the truth of (X-Forwarded-For, -Proto, -Host, -Port) are written by Gerbang.
 */
const NAMED_CLAIMS: readonly string[] = [
  'forwarded',
  'x-forwarded',
  'forwarded-for',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-scheme',
  'x-forwarded-ssl',
  'x-forwarded-server',
  'x-forwarded-prefix',
  'x-forwarded-path',
  'x-forwarded-uri',
  'x-original-url',
  'x-original-uri',
  'x-original-host',
  'x-rewrite-url',
  'x-host',
  'x-url-scheme',
  'front-end-https',
  'x-real-ip',
  'x-client-ip',
  'client-ip',
  'true-client-ip',
  'x-cluster-client-ip',
  'cf-connecting-ip',
  'fastly-client-ip',
];

/**
 * Names whose underscore spelling is refused from everyone: CGI, PHP and nginx/Apache setups map `_` and `-` to
 * the same variable, so `X_Forwarded_Host` would pass for the field Gerbang wrote. `proxy` is httpoxy
 * (CVE-2016-5385: HTTP_PROXY read as the outbound proxy), dropped in both spellings.
 */
const GUARDED = new Set([
  ...NAMED_CLAIMS,
  ...HOP_BY_HOP,
  'x-request-id',
  'proxy-authorization',
  'content-length',
  'proxy',
]);
const CLAIMS = new Set(NAMED_CLAIMS);
/** Whole families: any `X-Forwarded-*` (Envoy's X-Forwarded-Client-Cert names a client certificate) or `X-Original-*`. */
const CLAIM_PREFIXES = ['x-forwarded-', 'x-original-'];

/** True when a field (lower-case name, `-` spelling) is a claim an untrusted client may not make. */
export function isClientClaim(name: string): boolean {
  return CLAIMS.has(name) || CLAIM_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** True for `proxy` and for an underscore spelling of a guarded field or claim (`x_forwarded_host`, `x-forwarded_for`). */
export function isAlwaysDropped(name: string): boolean {
  if (name === 'proxy') return true;
  if (!name.includes('_')) return false;
  const dashed = name.replaceAll('_', '-');
  return GUARDED.has(dashed) || isClientClaim(dashed);
}
