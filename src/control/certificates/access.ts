/** The one guard of the certificate endpoints: who may list, upload or renew certificates of which host. */
import { GerbangError } from '../../errors.js';
import type { Principal } from '../auth.js';

/** What the guard needs to know about hosts and agencies (the registry's ownership rules). */
export interface CertificateAccess {
  /** Throws (HOST_NOT_OWNED, HOST_NOT_FOUND, ...) unless the principal may manage `host`'s certificate. */
  assertHost(principal: Principal, host: string): void;
  /** Whether a principal sees `host`'s certificate in the listing. */
  canSee(principal: Principal, host: string): boolean;
}

/** Admins only: the guard used where no registry is wired. */
export const ADMIN_ONLY_ACCESS: CertificateAccess = {
  assertHost(principal, host) {
    if (principal.scope !== 'admin')
      throw new GerbangError('FORBIDDEN', `certificates of ${host} need an admin token`);
  },
  canSee: (principal) => principal.scope === 'admin',
};

export function requirePrincipal(principal: Principal | undefined): Principal {
  if (principal === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
  return principal;
}
