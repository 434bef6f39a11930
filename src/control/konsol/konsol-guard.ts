/** What every Konsol request and response goes through: security headers, cookies, the same-origin check on changes. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GerbangError } from '../../errors.js';

export const SESSION_COOKIE = 'gerbang_konsol';
/** Before login there is no session to tie a token to: the login form double-submits this cookie instead. */
export const LOGIN_CSRF_COOKIE = 'gerbang_konsol_login';
export const KONSOL_PATH = '/konsol';

export const KONSOL_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function setSecurityHeaders(reply: FastifyReply): void {
  reply
    .header('content-security-policy', KONSOL_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-frame-options', 'DENY');
}

/** Paths that authenticate themselves (a session, or a password): the admin listener's bearer check skips them. */
export function ownsAuthentication(path: string): boolean {
  return path === KONSOL_PATH || path.startsWith(`${KONSOL_PATH}/`) || path === '/v1/users/me/password';
}

export function cookieOf(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  const cookie = `${name}=${value}; Path=${KONSOL_PATH}; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
  const existing = reply.getHeader('set-cookie');
  const list =
    existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
}

/**
 * A state-changing request must come from a Konsol page: Sec-Fetch-Site `same-origin` when the browser sends it,
 * and an Origin equal to this listener's. A request with neither is refused: every browser that runs Konsol sends
 * Origin or Sec-Fetch-Site on a POST, and SameSite cookies alone do not cover same-site subdomains of the office network.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') {
    throw new GerbangError('CSRF_REFUSED', `cross-site request refused (Sec-Fetch-Site: ${String(site)})`);
  }
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.headers.host ?? ''}`;
  // With `Referrer-Policy: no-referrer` (which Konsol sends) browsers post `Origin: null` even from its own pages
  // (Fetch: "append a request Origin header"): then Sec-Fetch-Site alone vouches, and must say same-origin.
  if (origin === undefined || origin === 'null') {
    if (site === undefined) throw new GerbangError('CSRF_REFUSED', 'a change needs an Origin header');
    return;
  }
  if (origin !== own) throw new GerbangError('CSRF_REFUSED', 'request from another origin refused');
}
