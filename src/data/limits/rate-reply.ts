/** The 429 of a rate limit on fastify: the branded page (own-replies.ts) with Retry-After and the RateLimit fields. */
import type { FastifyReply } from 'fastify';
import { sendOwnError } from '../pages/own-replies.js';
import { rateLimitFields } from './rate-fields.js';
import type { RateVerdict } from './rate-limiter.js';

export function sendRateLimited(reply: FastifyReply, verdict: RateVerdict): void {
  for (const [name, value] of rateLimitFields(verdict)) reply.header(name, value);
  sendOwnError(reply, 'RATE_LIMITED');
}
