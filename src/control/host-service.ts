/** Host registration: validates a host document, writes it to the store, and makes it live on this instance at once. */
import { normalizeRoutePath } from '../data/router.js';
import { GerbangError } from '../errors.js';
import { normalizeRegisteredHost } from '../model/host-name.js';
import { type HostBody, HostBodySchema, type HostDoc, type HostSource } from '../model/host-schema.js';
import { encodeHost } from '../model/stored-host.js';
import { parseTarget } from '../model/target-url.js';
import { compileValidator } from '../model/validate.js';
import type { Store } from '../store/store.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';

const hostBody = compileValidator(HostBodySchema);

export interface HostView extends HostDoc {
  source: HostSource;
}

export interface HostServiceOptions {
  store: Store;
  publisher: SnapshotPublisher;
  zones: readonly string[];
}

/** Checks a body and turns it into the stored document; throws VALIDATION_FAILED / INVALID_* naming the field. */
export function toHostDoc(name: string, body: unknown, zones: readonly string[]): HostDoc {
  const parsed: HostBody = hostBody.parse(body, 'host');
  const host = normalizeRegisteredHost(name, zones);
  if (parsed.host !== undefined && normalizeRegisteredHost(parsed.host, zones) !== host) {
    throw new GerbangError('VALIDATION_FAILED', `/host: "${parsed.host}" differs from the host in the URL`);
  }
  const paths = new Set<string>();
  for (const [i, route] of parsed.routes.entries()) {
    const key = normalizeRoutePath(route.path);
    if (paths.has(key)) {
      throw new GerbangError('VALIDATION_FAILED', `/routes/${i}/path: "${route.path}" is declared twice`);
    }
    paths.add(key);
    for (const [j, target] of route.targets.entries()) parseTarget(target, `/routes/${i}/targets/${j}`);
  }
  return { host, agency: parsed.agency, routes: parsed.routes, updatedAt: new Date().toISOString() };
}

export class HostService {
  constructor(private readonly options: HostServiceOptions) {}

  list(): HostView[] {
    return this.options.publisher.list().map(({ doc, source }) => ({ ...doc, source }));
  }

  get(name: string): HostView {
    const host = normalizeRegisteredHost(name, this.options.zones);
    const found = this.options.publisher.lookup(host);
    if (!found) throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered`);
    return { ...found.doc, source: found.source };
  }

  async put(name: string, body: unknown): Promise<{ view: HostView; created: boolean }> {
    const doc = toHostDoc(name, body, this.options.zones);
    const existing = this.options.publisher.lookup(doc.host);
    if (existing?.source === 'config') {
      throw new GerbangError(
        'CONFIG_MANAGED',
        `host ${doc.host} is declared in the config file; change it there`,
      );
    }
    await this.options.store.put('hosts', doc.host, encodeHost(doc));
    this.options.publisher.applyLocal(doc.host, doc);
    return { view: { ...doc, source: 'store' }, created: existing === undefined };
  }

  async delete(name: string): Promise<void> {
    const host = normalizeRegisteredHost(name, this.options.zones);
    const existing = this.options.publisher.lookup(host);
    if (existing?.source === 'config') {
      throw new GerbangError(
        'CONFIG_MANAGED',
        `host ${host} is declared in the config file; remove it there`,
      );
    }
    const removed = await this.options.store.delete('hosts', host);
    if (!removed && !existing) throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered`);
    this.options.publisher.applyLocal(host, undefined);
  }
}
