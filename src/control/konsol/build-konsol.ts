/** Builds Konsol's parts (accounts, sessions, login throttle) from the gateway's store, audit log and host service. */
import type { Store } from '../../store/store.js';
import type { AuditLog } from '../audit-log.js';
import { UserService } from '../users/user-service.js';
import type { KonsolOptions } from './konsol-routes.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionStore } from './session-store.js';

export interface KonsolParts
  extends Pick<KonsolOptions, 'hosts' | 'status' | 'agencyExists' | 'purge' | 'certificates'> {
  store: Store;
  audit: AuditLog;
}

export function buildKonsol(parts: KonsolParts): KonsolOptions {
  const sessions = new SessionStore(parts.store);
  const users = new UserService({
    store: parts.store,
    audit: parts.audit,
    agencyExists: parts.agencyExists,
    endSessionsOf: (userId) => sessions.closeAllOf(userId),
  });
  return {
    users,
    sessions,
    throttle: new LoginThrottle(),
    audit: parts.audit,
    hosts: parts.hosts,
    status: parts.status,
    agencyExists: parts.agencyExists,
    ...(parts.purge ? { purge: parts.purge } : {}),
    ...(parts.certificates ? { certificates: parts.certificates } : {}),
  };
}
