/** The own error a policy refusal is answered with, the same on every path (handler, undecodable path, upgrade). */
import type { ErrorCode } from '../../errors.js';
import type { Routing } from '../routing/routing-front.js';

type PolicyRefusal = Extract<Routing, { kind: 'probe-blocked' | 'access-denied' }>;

/** A blocked probe gets the page of any 404 or 403, so a scanner cannot tell the filter from a missing file. */
export function refusalCode(routing: PolicyRefusal): ErrorCode {
  if (routing.kind === 'access-denied') return 'ACCESS_DENIED';
  return routing.status === 403 ? 'FORBIDDEN' : 'NOT_FOUND';
}
