/** Who may name an alias: never a name another host or alias holds, or another agency owns; an agency only names it owns (an admin grants outside names through `owns`). */
import { GerbangError } from '../errors.js';
import type { HostDoc } from '../model/host-schema.js';
import { agencyOf, type Principal } from './auth.js';
import { nameIsUnder, type Registry } from './registry.js';

/** Throws ALIAS_TAKEN, HOST_NOT_OWNED naming the field; `others` are every known host but `doc`'s own. */
export function checkAliasClaims(
  doc: HostDoc,
  others: readonly HostDoc[],
  principal: Principal,
  registry: Registry | undefined,
): void {
  for (const other of others) {
    const held = other.aliases?.find((a) => a.name === doc.host);
    if (held !== undefined)
      throw new GerbangError('ALIAS_TAKEN', `/host: ${doc.host} is an alias of ${other.host}`);
  }
  const agency = agencyOf(principal);
  for (const [i, alias] of (doc.aliases ?? []).entries()) {
    const field = `/aliases/${i}/name`;
    for (const other of others) {
      if (other.host === alias.name)
        throw new GerbangError('ALIAS_TAKEN', `${field}: ${alias.name} is registered as a host`);
      if (
        other.host.startsWith('*.') &&
        nameIsUnder(alias.name, other.host.slice(2)) &&
        other.agency !== doc.agency
      )
        throw new GerbangError('ALIAS_TAKEN', `${field}: ${alias.name} is covered by host ${other.host}`);
      if (other.aliases?.some((a) => a.name === alias.name))
        throw new GerbangError('ALIAS_TAKEN', `${field}: ${alias.name} is an alias of ${other.host}`);
    }
    if (registry === undefined) continue;
    for (const owner of registry.listAgencies()) {
      if (owner.id === doc.agency) continue;
      if (owner.owns.some((owned) => nameIsUnder(alias.name, owned)))
        throw new GerbangError('ALIAS_TAKEN', `${field}: ${alias.name} is owned by agency ${owner.id}`);
    }
    if (agency !== undefined && !registry.agencyOwns(agency, alias.name))
      throw new GerbangError(
        'HOST_NOT_OWNED',
        `${field}: agency ${agency} does not own ${alias.name}; an admin grants it in the agency's owns`,
      );
  }
}
