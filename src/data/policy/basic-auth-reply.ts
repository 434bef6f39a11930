/** The 401 of basic authentication (branded page, WWW-Authenticate) and the slow path: verify, then go on or refuse. */
import type { IncomingMessage } from 'node:http';
import { sendOwnError } from '../pages/own-replies.js';
import type { GatewayReply } from '../routing/exchange.js';
import { admitCredentials, type RouteRouting, type Routing } from '../routing/routing-front.js';
import { type BasicAuthPlan, basicAuthGate } from './basic-auth.js';

type Verify = Extract<Routing, { kind: 'auth-verify' }>;

export function sendAuthRequired(reply: GatewayReply, plan: BasicAuthPlan): void {
  reply.header('www-authenticate', plan.challenge);
  sendOwnError(reply, 'AUTH_REQUIRED');
}

/**
 * Runs the slow hash off the request path's critical section (thread pool or yielding bcrypt): `pass` once the
 * credentials match, `fail` after the address's failure delay. Neither is called for a client that left.
 */
export function verifyCredentials(
  raw: IncomingMessage,
  routing: Verify,
  pass: (routing: RouteRouting) => void,
  fail: () => void,
): void {
  void basicAuthGate.verify(routing.plan, routing.credentials, routing.address).then((ok) => {
    if (raw.socket?.destroyed === true) return;
    if (ok) {
      admitCredentials(raw, routing.plan);
      pass(routing.pass);
    } else fail();
  });
}
