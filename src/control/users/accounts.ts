/** Konsol's accounts and their sessions, built once for the control plane: Konsol signs people in with them, removing an agency removes its members' accounts, an import carries their profiles. */
import type { Store } from '../../store/store.js';
import type { AuditLog } from '../audit-log.js';
import { SessionStore } from '../konsol/session-store.js';
import { UserService } from './user-service.js';

export interface Accounts {
  users: UserService;
  sessions: SessionStore;
}

export function buildAccounts(
  store: Store,
  audit: AuditLog,
  agencyExists: (id: string) => boolean,
): Accounts {
  const sessions = new SessionStore(store);
  const users = new UserService({
    store,
    audit,
    agencyExists,
    endSessionsOf: (userId) => sessions.closeAllOf(userId),
  });
  return { users, sessions };
}
