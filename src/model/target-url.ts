/** Upstream target URLs: only http(s) origins, without credentials, paths or queries. */
import { GerbangError } from '../errors.js';

export interface ParsedTarget {
  /** `http://10.0.0.5:8080`, as undici pools are keyed. */
  origin: string;
  protocol: 'http:' | 'https:';
  hostname: string;
  port: number;
}

export function parseTarget(raw: string, field: string): ParsedTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GerbangError('INVALID_TARGET', `${field}: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GerbangError('INVALID_TARGET', `${field}: only http and https targets are allowed`);
  }
  if (url.username || url.password) {
    throw new GerbangError('INVALID_TARGET', `${field}: credentials are not allowed in a target URL`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new GerbangError(
      'INVALID_TARGET',
      `${field}: a target is an origin (scheme://address:port), without path`,
    );
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { origin: url.origin, protocol: url.protocol, hostname: url.hostname, port };
}
