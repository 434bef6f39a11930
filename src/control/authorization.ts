/** Who may touch which host: admins everything; an agency only names it owns and hosts registered to it. The guard for every host-scoped call. */
import { GerbangError } from '../errors.js';
import type { HostDoc } from '../model/host-schema.js';
import { agencyOf, type Principal } from './auth.js';
import type { Registry } from './registry.js';

export interface HostLookup {
  lookup(name: string): { doc: HostDoc } | undefined;
}

/**
 * Checks that `principal` may write (create or replace) host `host`, whose current document is `existing`.
 * Returns the agency the stored host must carry. Throws FORBIDDEN, HOST_NOT_OWNED or HOST_TAKEN.
 */
export function authorizeHostWrite(
  principal: Principal,
  host: string,
  requestedAgency: string | undefined,
  existing: HostDoc | undefined,
  registry: Registry,
): string | undefined {
  const agency = agencyOf(principal);
  if (agency === undefined) {
    // An admin who leaves `agency` out keeps the current owner rather than orphaning the host.
    return requestedAgency ?? existing?.agency;
  }
  if (host.startsWith('*.')) throw new GerbangError('FORBIDDEN', 'only admins may register wildcard hosts');
  if (!registry.agencyOwns(agency, host)) {
    throw new GerbangError('HOST_NOT_OWNED', `agency ${agency} does not own ${host}`);
  }
  if (requestedAgency !== undefined && requestedAgency !== agency) {
    throw new GerbangError(
      'FORBIDDEN',
      `/agency: an agency token registers hosts for its own agency (${agency})`,
    );
  }
  if (existing !== undefined && existing.agency !== agency) {
    throw new GerbangError('HOST_TAKEN', `${host} is registered to ${existing.agency ?? 'DKISP'}`);
  }
  return agency;
}

/**
 * Checks that `principal` may act on the registered host `host` (read, delete, purge, status).
 * Throws HOST_NOT_OWNED when it belongs to another agency (or the name is not the caller's), HOST_NOT_FOUND
 * when the caller owns the name but nothing is registered there.
 */
export function assertHostAccess(
  principal: Principal,
  host: string,
  hosts: HostLookup,
  registry: Registry,
): void {
  const agency = agencyOf(principal);
  if (agency === undefined) return;
  const found = hosts.lookup(host);
  if (found !== undefined) {
    if (found.doc.agency !== agency)
      throw new GerbangError('HOST_NOT_OWNED', `${host} is not registered to ${agency}`);
    return;
  }
  if (!registry.agencyOwns(agency, host))
    throw new GerbangError('HOST_NOT_OWNED', `agency ${agency} does not own ${host}`);
  throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered`);
}

/** Whether a principal sees a host in listings. */
export function canSeeHost(principal: Principal, doc: HostDoc): boolean {
  const agency = agencyOf(principal);
  return agency === undefined || doc.agency === agency;
}

/** Whether `principal` may read or write an inventory entry of `agency`: admins all, an agency its own. */
export function assertInventoryAccess(principal: Principal, agency: string, field?: string): void {
  const own = agencyOf(principal);
  if (own === undefined || own === agency) return;
  const where = field ? `${field}: ` : '';
  throw new GerbangError('FORBIDDEN', `${where}agency ${own} edits its own inventory entries only`);
}
