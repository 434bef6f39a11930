/** In-memory mirror of the store's agencies and tokens, kept current by the change feed, so authentication never awaits the store. */

import { type AgencyDoc, AgencySchema, type StoredToken, StoredTokenSchema } from '../model/agency-schema.js';
import { compileValidator } from '../model/validate.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import type { Change, Namespace, Store } from '../store/store.js';
import { hasStoreMarker, STORE_MARKER_ID } from '../store/store-marker.js';

const agencyValidator = compileValidator(AgencySchema);
const tokenValidator = compileValidator(StoredTokenSchema);

type Mirrored = 'agencies' | 'tokens';

export interface RegistryOptions {
  store: Store;
  logger: Logger;
  metrics: GatewayMetrics;
}

/** True when `host` is `owned` or lies below it (`x.dinkes.paserkab.go.id` under `dinkes.paserkab.go.id`). */
export function nameIsUnder(host: string, owned: string): boolean {
  return host === owned || host.endsWith(`.${owned}`);
}

export class Registry {
  private readonly agencies = new Map<string, AgencyDoc>();
  private readonly tokens = new Map<string, StoredToken>();
  /** hex SHA-256 of the secret → token id. */
  private readonly byHash = new Map<string, string>();

  constructor(private readonly options: RegistryOptions) {}

  async start(): Promise<void> {
    const { store } = this.options;
    store.on('change', (change) => {
      // An admin confirmed or restored a flushed store: what we held back is decided again.
      if (change.ns === 'meta' && change.id === STORE_MARKER_ID) void this.resync();
      else void this.onChange(change);
    });
    store.on('resync', () => void this.resync());
    if (store.state === 'connected') await this.resync();
  }

  agency(id: string): AgencyDoc | undefined {
    return this.agencies.get(id);
  }

  listAgencies(): AgencyDoc[] {
    return [...this.agencies.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  token(id: string): StoredToken | undefined {
    return this.tokens.get(id);
  }

  tokenByHash(hashHex: string): StoredToken | undefined {
    const id = this.byHash.get(hashHex);
    return id === undefined ? undefined : this.tokens.get(id);
  }

  listTokens(): StoredToken[] {
    return [...this.tokens.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  }

  /** Whether agency `id` may register `host` (an owned name or a subdomain of one). */
  agencyOwns(id: string, host: string): boolean {
    const agency = this.agencies.get(id);
    return agency?.owns.some((owned) => nameIsUnder(host, owned)) ?? false;
  }

  /** Applies a write this instance just made, so it takes effect before the feed echoes it. */
  applyAgency(id: string, doc: AgencyDoc | undefined): void {
    if (doc) this.agencies.set(id, doc);
    else this.agencies.delete(id);
  }

  applyToken(id: string, doc: StoredToken | undefined): void {
    const old = this.tokens.get(id);
    if (old) this.byHash.delete(old.hash);
    if (doc) {
      this.tokens.set(id, doc);
      this.byHash.set(doc.hash, id);
    } else this.tokens.delete(id);
  }

  private async onChange(change: Change): Promise<void> {
    if (change.ns !== 'agencies' && change.ns !== 'tokens') return;
    let raw: string | undefined;
    try {
      raw = await this.options.store.get(change.ns, change.id);
    } catch (err) {
      // A revocation we cannot read must not leave the token usable: drop it until the next resync.
      if (change.ns === 'tokens') this.applyToken(change.id, undefined);
      this.options.logger.warn(
        { ns: change.ns, id: change.id, err: (err as Error).message },
        'could not read a changed registry entry; the next resync will',
      );
      return;
    }
    this.apply(change.ns, change.id, raw);
  }

  private apply(ns: Mirrored, id: string, raw: string | undefined): void {
    if (ns === 'agencies') this.applyAgency(id, raw === undefined ? undefined : this.decodeAgency(id, raw));
    else this.applyToken(id, raw === undefined ? undefined : this.decodeToken(id, raw));
  }

  private async resync(): Promise<void> {
    const { store, logger } = this.options;
    for (const ns of ['agencies', 'tokens'] as const) {
      let all: Map<string, string>;
      let vouched: boolean;
      try {
        all = await store.getAll(ns);
        vouched = store.kind !== 'redis' || (await hasStoreMarker(store));
      } catch (err) {
        logger.warn({ ns, err: (err as Error).message }, 'registry resync failed');
        continue;
      }
      const known = ns === 'agencies' ? this.agencies : this.tokens;
      // As the route table (snapshot-publisher.ts): a shared store without its marker and without any of what we
      // know was flushed or replaced, not emptied by revocations; agencies and tokens stay until an admin
      // confirms the empty store (which writes the marker) or restores it.
      const lostEverything = known.size > 0 && ![...known.keys()].some((id) => all.has(id));
      if (!vouched && lostEverything) {
        logger.error(
          { ns, kept: known.size },
          'the store came back without any agency or token: keeping ours',
        );
        continue;
      }
      for (const id of [...known.keys()]) if (!all.has(id)) this.apply(ns, id, undefined);
      for (const [id, raw] of all) this.apply(ns, id, raw);
    }
  }

  private decodeAgency(id: string, raw: string): AgencyDoc | undefined {
    const doc = this.decode('agencies', raw, (v) => agencyValidator.parse(v, `stored agency ${id}`));
    return doc?.id === id ? doc : undefined;
  }

  private decodeToken(id: string, raw: string): StoredToken | undefined {
    const doc = this.decode('tokens', raw, (v) => tokenValidator.parse(v, `stored token ${id}`));
    return doc?.id === id ? doc : undefined;
  }

  private decode<T>(ns: Namespace, raw: string, parse: (value: unknown) => T): T | undefined {
    try {
      return parse(JSON.parse(raw));
    } catch (err) {
      this.options.logger.error({ ns, err: (err as Error).message }, 'corrupt registry value skipped');
      this.options.metrics.storeValueErrors.inc({ ns });
      return undefined;
    }
  }
}
