/** The fields of a 429 from a rate limit: Retry-After (RFC 9110 §10.2.3) and RateLimit / RateLimit-Policy of draft-ietf-httpapi-ratelimit-headers-11 (May 2026; structured-field syntax since -08). */
import type { RateVerdict } from './rate-limiter.js';

/** Name and value pairs, lower case, as fastify's reply.header and the upgrade replies take them. */
export function rateLimitFields(verdict: RateVerdict): Array<readonly [string, string]> {
  const seconds = String(verdict.retryAfterS);
  return [
    ['retry-after', seconds],
    ['ratelimit-policy', verdict.plan.policyField],
    // r: quota units left (none: refused); t: seconds until the quota has room again.
    ['ratelimit', `"default";r=0;t=${seconds}`],
  ];
}
