/** The answer of an alias, a redirect-only host or a prefix rule on fastify: status, Location, no body. */
import type { GatewayReply } from './exchange.js';

/** Permanent moves may be remembered a day (a portal that comes back is not stuck for ever); others never. */
export function redirectCacheControl(status: number): string {
  return status === 301 || status === 308 ? 'max-age=86400' : 'no-store';
}

export function sendRedirect(reply: GatewayReply, status: number, location: string): void {
  reply
    .code(status)
    .header('location', location)
    .header('x-request-id', reply.request.id)
    .header('cache-control', redirectCacheControl(status))
    .send();
}
