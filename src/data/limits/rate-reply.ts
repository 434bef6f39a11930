/** The 429 of a rate limit on fastify: the branded page (own-replies.ts) with Retry-After and the RateLimit fields. */
import { sendOwnError } from '../pages/own-replies.js';
import type { GatewayReply } from '../routing/exchange.js';
import { rateLimitFields } from './rate-fields.js';
import type { RateVerdict } from './rate-limiter.js';

export function sendRateLimited(reply: GatewayReply, verdict: RateVerdict): void {
  for (const [name, value] of rateLimitFields(verdict)) reply.header(name, value);
  sendOwnError(reply, 'RATE_LIMITED');
}
