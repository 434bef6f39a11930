/** What the plain HTTP listener does before proxying: answer ACME HTTP-01 challenges for any host, redirect forceHttps hosts. */
import type { FastifyReply } from 'fastify';
import { sendOwnError } from '../own-replies.js';

export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';

export type ChallengeLookup = (token: string) => Promise<string | undefined>;

/** Answers `/.well-known/acme-challenge/<token>` from the shared challenge store, or 404. */
export function answerChallenge(reply: FastifyReply, url: string, lookup: ChallengeLookup): void {
  const q = url.indexOf('?');
  const token = url.slice(ACME_CHALLENGE_PATH.length, q < 0 ? undefined : q);
  lookup(token).then(
    (keyAuthorization) => {
      if (keyAuthorization === undefined) return sendOwnError(reply, 'NOT_FOUND');
      reply
        .code(200)
        .header('x-request-id', reply.request.id)
        .header('cache-control', 'no-store')
        .type('text/plain')
        .send(keyAuthorization);
    },
    () => sendOwnError(reply, 'NOT_FOUND'),
  );
}

/**
 * 308 to the same URL on https (method and body are kept). The Location has no port: the public HTTPS
 * address is 443 wherever Gerbang itself listens (behind NAT or a load balancer).
 */
export function redirectToHttps(reply: FastifyReply, hostName: string, url: string): void {
  const path = url.charCodeAt(0) === 47 /* / */ ? url : '/';
  reply
    .code(308)
    .header('location', `https://${hostName}${path}`)
    .header('x-request-id', reply.request.id)
    .header('cache-control', 'no-store')
    .send();
}
