/** The address of a portal not yet behind Gerbang, checked once for inventory entries and onboarding probes. */
import { GerbangError } from '../../errors.js';

/** A portal's current address, as inventory entries and onboarding take it: http(s), no credentials in it. */
export function parsePortalUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GerbangError('VALIDATION_FAILED', `/url: "${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new GerbangError('VALIDATION_FAILED', '/url: only http and https addresses');
  if (url.username || url.password)
    throw new GerbangError('VALIDATION_FAILED', '/url: credentials are not allowed in the address');
  return url;
}
