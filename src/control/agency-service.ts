/** Agencies (SKPD): created, changed and removed by DKISP admins; each owns host names no other agency owns. */
import { GerbangError } from '../errors.js';
import { AgencyBodySchema, type AgencyDoc, AgencyIdSchema } from '../model/agency-schema.js';
import { isDnsName, normalizeRegisteredHost } from '../model/host-name.js';
import { compileValidator } from '../model/validate.js';
import type { Store } from '../store/store.js';
import type { Actor, AuditLog } from './audit-log.js';
import { requireAdmin } from './auth.js';
import { nameIsUnder, type Registry } from './registry.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';

const agencyBody = compileValidator(AgencyBodySchema);
const agencyId = compileValidator(AgencyIdSchema);

export interface AgencyServiceOptions {
  store: Store;
  registry: Registry;
  publisher: SnapshotPublisher;
  audit: AuditLog;
  zones: readonly string[];
  /** Ids of the agency's inventory entries; removing an agency that has some is refused, as with its hosts. */
  inventoryOf?: (agency: string) => string[];
  /** Removes the agency's Konsol accounts (and so their sessions): like its tokens, they must not come back with a new agency of that id. */
  removeMembersOf?: (agency: string, actor: Actor) => Promise<void>;
}

export function checkAgencyId(id: string): string {
  if (!agencyId.check(id)) {
    throw new GerbangError(
      'VALIDATION_FAILED',
      `/id: "${id}" is not an agency id (lowercase letters, digits, -)`,
    );
  }
  return id;
}

/** The names an agency owns as stored: normalised, unique, sorted; wildcards refused (subdomains are included). */
export function normalizeOwnedNames(names: readonly string[], zones: readonly string[]): string[] {
  const owns = names.map((name, i) => {
    if (name.trim().startsWith('*')) {
      throw new GerbangError('VALIDATION_FAILED', `/owns/${i}: list names; their subdomains are included`);
    }
    try {
      return normalizeRegisteredHost(name, zones);
    } catch (err) {
      // Agencies are written by admins only: a name outside the zones (an old domain) is granted for aliases.
      const outside = name.trim().toLowerCase().replace(/\.$/, '');
      if ((err as GerbangError).code === 'HOST_OUTSIDE_ZONE' && isDnsName(outside)) return outside;
      throw new GerbangError(
        (err as GerbangError).code ?? 'INVALID_HOST',
        `/owns/${i}: ${(err as Error).message}`,
      );
    }
  });
  return [...new Set(owns)].sort();
}

export class AgencyService {
  constructor(private readonly options: AgencyServiceOptions) {}

  list(): AgencyDoc[] {
    return this.options.registry.listAgencies();
  }

  get(id: string): AgencyDoc {
    const found = this.options.registry.agency(id);
    if (!found) throw new GerbangError('NOT_FOUND', `agency ${id} does not exist`);
    return found;
  }

  /** `mustBeNew`: a create form refuses an id in use rather than replacing that agency (PUT replaces). */
  async put(
    rawId: string,
    body: unknown,
    actor: Actor,
    options: { mustBeNew?: boolean } = {},
  ): Promise<{ doc: AgencyDoc; created: boolean }> {
    requireAdmin(actor.principal);
    const id = checkAgencyId(rawId);
    const parsed = agencyBody.parse(body, 'agency');
    if (options.mustBeNew === true && this.options.registry.agency(id) !== undefined) {
      throw new GerbangError('CONFLICT', `/id: agency ${id} already exists`);
    }
    if (parsed.id !== undefined && parsed.id !== id) {
      throw new GerbangError('VALIDATION_FAILED', `/id: "${parsed.id}" differs from the id in the URL`);
    }
    const owns = normalizeOwnedNames(parsed.owns, this.options.zones);
    // One owner per name: an overlap (same name, or one under the other) would make "whose host is it" ambiguous.
    for (const other of this.options.registry.listAgencies()) {
      if (other.id === id) continue;
      for (const mine of owns) {
        const clash = other.owns.find((theirs) => nameIsUnder(mine, theirs) || nameIsUnder(theirs, mine));
        if (clash !== undefined) {
          throw new GerbangError('CONFLICT', `/owns: ${mine} overlaps ${clash}, owned by agency ${other.id}`);
        }
      }
    }
    const before = this.options.registry.agency(id);
    const doc: AgencyDoc = {
      id,
      name: parsed.name.trim(),
      contact: parsed.contact.trim(),
      owns,
      ...(parsed.quota !== undefined ? { quota: parsed.quota } : {}),
      updatedAt: new Date().toISOString(),
    };
    await this.options.store.put('agencies', id, JSON.stringify(doc));
    this.options.registry.applyAgency(id, doc);
    await this.options.audit.append(actor, {
      action: 'agency.put',
      target: id,
      owners: [id],
      before,
      after: doc,
    });
    return { doc, created: before === undefined };
  }

  async delete(rawId: string, actor: Actor): Promise<void> {
    requireAdmin(actor.principal);
    const id = checkAgencyId(rawId);
    const before = this.options.registry.agency(id);
    if (!before) throw new GerbangError('NOT_FOUND', `agency ${id} does not exist`);
    const hosts = this.options.publisher
      .list()
      .filter((h) => h.doc.agency === id)
      .map((h) => h.doc.host);
    if (hosts.length > 0) {
      throw new GerbangError('CONFLICT', `agency ${id} still has hosts: ${hosts.slice(0, 10).join(', ')}`);
    }
    // Entries left behind would name an agency that no longer exists (and vanish from every agency's view).
    const entries = this.options.inventoryOf?.(id) ?? [];
    if (entries.length > 0) {
      throw new GerbangError(
        'AGENCY_HAS_INVENTORY',
        `agency ${id} still has inventory entries: ${entries.slice(0, 10).join(', ')}; move or remove them first`,
      );
    }
    // Access goes first: a failure after this leaves an agency without members, never members without a check.
    await this.options.removeMembersOf?.(id, actor);
    await this.options.store.delete('agencies', id);
    this.options.registry.applyAgency(id, undefined);
    // Its tokens stop working with the agency (auth checks it); remove them too so they cannot come back.
    for (const token of this.options.registry.listTokens()) {
      if (token.scope !== `agency:${id}`) continue;
      await this.options.store.delete('tokens', token.id);
      this.options.registry.applyToken(token.id, undefined);
    }
    await this.options.audit.append(actor, {
      action: 'agency.delete',
      target: id,
      owners: [id],
      before,
      after: null,
    });
  }
}
