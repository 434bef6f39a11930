/** Builds Konsol's parts (accounts, sessions, login throttle) from the gateway's store, audit log and host service. */
import type { Store } from '../../store/store.js';
import type { AuditLog } from '../audit-log.js';
import type { Accounts } from '../users/accounts.js';
import type { KonsolOptions } from './konsol-routes.js';
import { LoginThrottle } from './login-throttle.js';

export interface KonsolParts
  extends Pick<
    KonsolOptions,
    | 'hosts'
    | 'status'
    | 'agencyExists'
    | 'purge'
    | 'certificates'
    | 'certificateAdmin'
    | 'system'
    | 'admin'
    | 'traffic'
    | 'inventoryPages'
    | 'defacement'
  > {
  store: Store;
  audit: AuditLog;
  accounts: Accounts;
}

export function buildKonsol(parts: KonsolParts): KonsolOptions {
  return {
    users: parts.accounts.users,
    sessions: parts.accounts.sessions,
    throttle: new LoginThrottle(),
    audit: parts.audit,
    hosts: parts.hosts,
    status: parts.status,
    agencyExists: parts.agencyExists,
    ...(parts.purge ? { purge: parts.purge } : {}),
    ...(parts.certificates ? { certificates: parts.certificates } : {}),
    ...(parts.traffic ? { traffic: parts.traffic } : {}),
    ...(parts.certificateAdmin ? { certificateAdmin: parts.certificateAdmin } : {}),
    ...(parts.system ? { system: parts.system } : {}),
    ...(parts.admin ? { admin: parts.admin } : {}),
    ...(parts.inventoryPages ? { inventoryPages: parts.inventoryPages } : {}),
    ...(parts.defacement ? { defacement: parts.defacement } : {}),
  };
}
