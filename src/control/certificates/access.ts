/** The one guard of the certificate endpoints: who may list, upload or renew certificates of which host. */
import { GerbangError } from '../../errors.js';
import type { Principal } from '../auth.js';

/**
 * Throws unless `principal` may manage the certificate of `host` (or, without a host, list every
 * certificate). Admins may do anything; agency scopes are refused here until ownership is checked.
 */
export function assertCertificateAccess(principal: Principal | undefined, host?: string): void {
  if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
  if (principal.scope === 'admin') return;
  throw new GerbangError(
    'FORBIDDEN',
    host === undefined
      ? 'listing certificates needs an admin token'
      : `certificates of ${host} need an admin token`,
  );
}
