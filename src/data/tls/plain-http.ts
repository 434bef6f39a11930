/** What the plain HTTP listener does before proxying: answer ACME HTTP-01 challenges for any host, redirect forceHttps hosts. */
import { sendOwnError } from '../pages/own-replies.js';
import type { GatewayReply } from '../routing/exchange.js';

export const ACME_CHALLENGE_PATH = '/.well-known/acme-challenge/';

export type ChallengeLookup = (token: string) => Promise<string | undefined>;

/** Answers `/.well-known/acme-challenge/<token>` from the shared challenge store, or 404. */
export function answerChallenge(reply: GatewayReply, url: string, lookup: ChallengeLookup): void {
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
 * The same URL on https. Without a port unless `listen.https.publicPort` names one other than 443: the public
 * HTTPS address is 443 wherever Gerbang itself listens (behind NAT or a load balancer), not its bound port.
 */
export function httpsLocation(hostName: string, url: string, httpsPublicPort: number | undefined): string {
  const path = url.charCodeAt(0) === 47 /* / */ ? url : '/';
  const port = httpsPublicPort === undefined || httpsPublicPort === 443 ? '' : `:${httpsPublicPort}`;
  return `https://${hostName}${port}${path}`;
}

/** 308 to the same URL on https (method and body are kept). */
export function redirectToHttps(reply: GatewayReply, location: string): void {
  reply
    .code(308)
    .header('location', location)
    .header('x-request-id', reply.request.id)
    .header('cache-control', 'no-store')
    .send();
}
