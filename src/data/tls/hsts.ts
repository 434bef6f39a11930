/** Turns a host's `hsts` setting into its Strict-Transport-Security value once, at snapshot compile time. */
import { DEFAULT_HSTS_MAX_AGE_S } from '../../config/defaults.js';
import type { Hsts } from '../../model/host-schema.js';

export function hstsHeader(hsts: Hsts | undefined): string | undefined {
  if (hsts === undefined || hsts === false) return undefined;
  if (hsts === true) return `max-age=${DEFAULT_HSTS_MAX_AGE_S}`;
  let value = `max-age=${hsts.maxAge}`;
  if (hsts.includeSubDomains) value += '; includeSubDomains';
  if (hsts.preload) value += '; preload';
  return value;
}
