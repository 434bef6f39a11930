/** The inventory: one entry per service of an agency, kept in the store's `inventory` namespace and mirrored in memory for the directory. */
import { GerbangError } from '../../errors.js';
import { normalizeRegisteredHost } from '../../model/host-name.js';
import type { HostDoc } from '../../model/host-schema.js';
import {
  InventoryBodySchema,
  InventoryIdSchema,
  type InventoryView,
  type MovingService,
  type StoredInventory,
  StoredInventorySchema,
} from '../../model/inventory-schema.js';
import { compileValidator } from '../../model/validate.js';
import type { Logger } from '../../observability/logger.js';
import type { GatewayMetrics } from '../../observability/metrics.js';
import type { Store } from '../../store/store.js';
import type { Actor, AuditLog } from '../audit-log.js';
import { agencyOf, type Principal } from '../auth.js';
import { assertInventoryAccess } from '../authorization.js';
import { parsePortalUrl } from './portal-url.js';

const bodyValidator = compileValidator(InventoryBodySchema);
const idValidator = compileValidator(InventoryIdSchema);
const storedValidator = compileValidator(StoredInventorySchema);

/** Fields a live entry takes from its host's `app`: set there, never twice. */
const APP_FIELDS = ['name', 'description', 'category', 'contact', 'url'] as const;

/** What an entry is checked against: the registry and hosts as they are, or as an import will leave them. */
export interface InventoryWorld {
  agencyExists: (id: string) => boolean;
  /** The agency of a registered host (`null`: DKISP's own); undefined when the host is not registered. */
  hostAgency: (host: string) => string | null | undefined;
}

export interface InventoryServiceOptions {
  store: Store;
  audit: AuditLog;
  logger: Logger;
  metrics: GatewayMetrics;
  zones: readonly string[];
  agencyExists: (id: string) => boolean;
  agencyName: (id: string) => string | undefined;
  lookupHost: (host: string) => { doc: HostDoc } | undefined;
}

function checkId(id: string): string {
  if (!idValidator.check(id))
    throw new GerbangError('VALIDATION_FAILED', `/id: "${id}" is not an inventory id (a-z, 0-9, -)`);
  return id;
}

export class InventoryService {
  private readonly entries = new Map<string, StoredInventory>();
  /** Grows with every change: the directory rebuilds its index when it moved. */
  generation = 0;
  private readonly listeners: Array<() => void> = [];

  constructor(private readonly options: InventoryServiceOptions) {}

  async start(): Promise<void> {
    const { store } = this.options;
    store.on('change', (change) => {
      if (change.ns === 'inventory') void this.reload(change.id);
    });
    store.on('resync', () => void this.resync());
    if (store.state === 'connected') await this.resync();
  }

  list(principal: Principal): InventoryView[] {
    const agency = agencyOf(principal);
    return [...this.entries.values()]
      .filter((e) => agency === undefined || e.agency === agency)
      .sort((a, b) => (a.agency === b.agency ? (a.id < b.id ? -1 : 1) : a.agency < b.agency ? -1 : 1))
      .map((e) => this.view(e));
  }

  get(rawId: string, principal: Principal): InventoryView {
    const entry = this.entries.get(checkId(rawId));
    if (entry === undefined) throw new GerbangError('NOT_FOUND', `inventory entry ${rawId} does not exist`);
    assertInventoryAccess(principal, entry.agency);
    return this.view(entry);
  }

  /** The entries still being moved, for the public directory. */
  moving(): MovingService[] {
    const out: MovingService[] = [];
    for (const e of this.entries.values()) {
      if ((e.state !== 'reported' && e.state !== 'migrating') || e.url === undefined) continue;
      out.push({
        id: e.id,
        agency: e.agency,
        agencyName: this.options.agencyName(e.agency),
        state: e.state,
        name: e.name ?? e.id,
        description: e.description,
        category: e.category,
        contact: e.contact,
        url: e.url,
      });
    }
    return out;
  }

  /** Entries the caller may see, as stored but for the time: what an export carries and an import takes back. */
  exportEntries(principal: Principal): Array<Omit<StoredInventory, 'updatedAt'>> {
    const agency = agencyOf(principal);
    return [...this.entries.values()]
      .filter((e) => agency === undefined || e.agency === agency)
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map(({ updatedAt: _u, ...rest }) => rest);
  }

  /** Ids of one agency's entries, sorted: removing the agency is refused while there are any. */
  idsOfAgency(agency: string): string[] {
    return [...this.entries.values()]
      .filter((e) => e.agency === agency)
      .map((e) => e.id)
      .sort();
  }

  stored(id: string): StoredInventory | undefined {
    return this.entries.get(id);
  }

  /** The world as it is now: for the API's writes. */
  private world(): InventoryWorld {
    return {
      agencyExists: this.options.agencyExists,
      hostAgency: (host) => {
        const found = this.options.lookupHost(host);
        return found === undefined ? undefined : (found.doc.agency ?? null);
      },
    };
  }

  /** Validates a write completely and returns what would be stored; writes nothing (the import plans with it). */
  prepare(
    rawId: string,
    body: unknown,
    principal: Principal,
    world: InventoryWorld = this.world(),
  ): StoredInventory {
    const id = checkId(rawId);
    const parsed = bodyValidator.parse(body, 'inventory entry');
    if (parsed.id !== undefined && parsed.id !== id)
      throw new GerbangError('VALIDATION_FAILED', `/id: "${parsed.id}" differs from the id in the URL`);
    const own = agencyOf(principal);
    const agency = parsed.agency ?? own;
    if (agency === undefined) throw new GerbangError('VALIDATION_FAILED', '/agency: required for an admin');
    assertInventoryAccess(principal, agency, '/agency');
    if (!world.agencyExists(agency))
      throw new GerbangError('VALIDATION_FAILED', `/agency: agency ${agency} does not exist`);
    const before = this.entries.get(id);
    if (before !== undefined) assertInventoryAccess(principal, before.agency);
    const doc: StoredInventory = { id, agency, state: parsed.state, updatedAt: new Date().toISOString() };
    if (parsed.state === 'live') {
      for (const field of APP_FIELDS) {
        if (parsed[field] !== undefined)
          throw new GerbangError(
            'VALIDATION_FAILED',
            `/${field}: a live entry shows its host's app information; set it in the host's app`,
          );
      }
      if (parsed.host === undefined)
        throw new GerbangError('VALIDATION_FAILED', '/host: a live entry names its Gerbang host');
      const host = this.normalizeHost(parsed.host);
      const owner = world.hostAgency(host);
      if (owner === undefined)
        throw new GerbangError('VALIDATION_FAILED', `/host: ${host} is not registered`);
      if (owner !== agency)
        throw new GerbangError('VALIDATION_FAILED', `/host: ${host} is not registered to agency ${agency}`);
      doc.host = host;
    } else {
      if (parsed.host !== undefined)
        throw new GerbangError('VALIDATION_FAILED', '/host: only a live entry names a Gerbang host');
      if (parsed.name === undefined)
        throw new GerbangError('VALIDATION_FAILED', '/name: required unless the entry is live');
      if (parsed.url === undefined && parsed.state !== 'retired')
        throw new GerbangError(
          'VALIDATION_FAILED',
          `/url: a ${parsed.state} entry gives its current address`,
        );
      doc.name = parsed.name.trim();
      if (parsed.description) doc.description = parsed.description.trim();
      if (parsed.category) doc.category = parsed.category.trim();
      if (parsed.contact) doc.contact = parsed.contact.trim();
      if (parsed.url !== undefined) doc.url = parsePortalUrl(parsed.url).href;
    }
    return doc;
  }

  async put(rawId: string, body: unknown, actor: Actor): Promise<{ view: InventoryView; created: boolean }> {
    const doc = this.prepare(rawId, body, actor.principal);
    const { id, agency } = doc;
    const before = this.entries.get(id);
    await this.options.store.put('inventory', id, JSON.stringify(doc));
    this.apply(id, doc);
    await this.options.audit.append(actor, {
      action: 'inventory.put',
      target: id,
      owners: [...new Set([agency, before?.agency])],
      before: before ?? null,
      after: doc,
    });
    return { view: this.view(doc), created: before === undefined };
  }

  async delete(rawId: string, actor: Actor): Promise<void> {
    const id = checkId(rawId);
    const before = this.entries.get(id);
    if (before === undefined) throw new GerbangError('NOT_FOUND', `inventory entry ${id} does not exist`);
    assertInventoryAccess(actor.principal, before.agency);
    await this.options.store.delete('inventory', id);
    this.apply(id, undefined);
    await this.options.audit.append(actor, {
      action: 'inventory.delete',
      target: id,
      owners: [before.agency],
      before,
      after: null,
    });
  }

  private normalizeHost(raw: string): string {
    try {
      return normalizeRegisteredHost(raw, this.options.zones);
    } catch (err) {
      throw new GerbangError('VALIDATION_FAILED', `/host: ${(err as Error).message}`);
    }
  }

  private view(e: StoredInventory): InventoryView {
    if (e.state !== 'live' || e.host === undefined) {
      const { host: _host, ...rest } = e;
      return { ...rest, name: e.name ?? e.id };
    }
    const found = this.options.lookupHost(e.host);
    const app = found?.doc.app;
    return {
      id: e.id,
      agency: e.agency,
      state: e.state,
      host: e.host,
      url: `https://${e.host}/`,
      name: app?.name ?? e.host,
      ...(app?.description !== undefined ? { description: app.description } : {}),
      ...(app?.category !== undefined ? { category: app.category } : {}),
      ...(app?.contact !== undefined ? { contact: app.contact } : {}),
      registered: found !== undefined,
      updatedAt: e.updatedAt,
    };
  }

  /** Told after every change (cluster primary: hands the directory's part to its workers). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.generation++;
    for (const listener of this.listeners) listener();
  }

  private apply(id: string, doc: StoredInventory | undefined): void {
    if (doc) this.entries.set(id, doc);
    else this.entries.delete(id);
    this.changed();
  }

  private decode(id: string, raw: string): StoredInventory | undefined {
    try {
      const doc = storedValidator.parse(JSON.parse(raw), `stored inventory entry ${id}`);
      return doc.id === id ? doc : undefined;
    } catch (err) {
      this.options.logger.error(
        { ns: 'inventory', err: (err as Error).message },
        'corrupt inventory entry skipped',
      );
      this.options.metrics.storeValueErrors.inc({ ns: 'inventory' });
      return undefined;
    }
  }

  private async reload(id: string): Promise<void> {
    try {
      const raw = await this.options.store.get('inventory', id);
      this.apply(id, raw === undefined ? undefined : this.decode(id, raw));
    } catch (err) {
      this.options.logger.warn(
        { id, err: (err as Error).message },
        'inventory entry unread; the next resync will',
      );
    }
  }

  private async resync(): Promise<void> {
    let all: Map<string, string>;
    try {
      all = await this.options.store.getAll('inventory');
    } catch (err) {
      this.options.logger.warn({ err: (err as Error).message }, 'inventory resync failed');
      return;
    }
    for (const id of [...this.entries.keys()]) if (!all.has(id)) this.entries.delete(id);
    for (const [id, raw] of all) {
      const doc = this.decode(id, raw);
      if (doc) this.entries.set(id, doc);
      else this.entries.delete(id);
    }
    this.changed();
  }
}
