/** Host registration: validates a host document, writes it to the store, and makes it live on this instance at once. */

import { setTimeout as sleep } from 'node:timers/promises';
import { HOST_WRITE_LOCK_TTL_MS, HOST_WRITE_LOCK_WAIT_MS } from '../config/defaults.js';
import { normalizePath } from '../data/routing/request-target.js';
import { normalizeRoutePath } from '../data/routing/router.js';
import { GerbangError, isGerbangError } from '../errors.js';
import { quotaOf } from '../model/agency-schema.js';
import { checkHeadersPolicy } from '../model/header-rules-check.js';
import { normalizeRegisteredHost } from '../model/host-name.js';
import { type HostBody, HostBodySchema, type HostDoc, type HostSource } from '../model/host-schema.js';
import { mergePatch } from '../model/merge-patch.js';
import { checkRouteResilience } from '../model/route-resilience.js';
import { decodeHost, encodeHost } from '../model/stored-host.js';
import type { TargetPolicy } from '../model/target-policy.js';
import { parseTarget } from '../model/target-url.js';
import { compileValidator } from '../model/validate.js';
import type { Store } from '../store/store.js';
import { checkAliasClaims } from './alias-claims.js';
import type { Actor, AuditLog } from './audit-log.js';
import { agencyOf, type Principal } from './auth.js';
import { assertHostAccess, authorizeHostWrite, canSeeHost } from './authorization.js';
import { hashBasicAuthPasswords, normalizeBasicAuth } from './basic-auth-users.js';
import { checkRedirectFields } from './host-redirect-fields.js';
import { assertNoRedirectLoop } from './redirect-loops.js';
import type { Registry } from './registry.js';
import type { SnapshotPublisher } from './snapshot-publisher.js';

const hostBody = compileValidator(HostBodySchema);

/** A PATCH that keeps meeting newer writes gives up after this many reads of the host. */
const PATCH_ATTEMPTS = 3;

/** A write that must land on the stored version it was computed from (a PATCH). */
export interface WritePrecondition {
  /** The stored document's `updatedAt`; the write is refused with CONFLICT when it differs. */
  ifUpdatedAt?: string;
  /** A create: refused with HOST_TAKEN when the host is already stored (Konsol's "add a service" never overwrites). */
  ifAbsent?: boolean;
}

export interface HostView extends HostDoc {
  source: HostSource;
}

export interface HostServiceOptions {
  store: Store;
  publisher: SnapshotPublisher;
  zones: readonly string[];
  /** Agencies and tokens: enables ownership checks (without it every caller is treated as an admin). */
  registry?: Registry;
  /** SSRF policy: every target is checked (and its name resolved) before it is stored. */
  policy?: TargetPolicy;
  audit?: AuditLog;
}

/** Checks a body and turns it into the stored document; throws VALIDATION_FAILED / INVALID_* naming the field. */
export function toHostDoc(name: string, body: unknown, zones: readonly string[]): HostDoc {
  const parsed: HostBody = hostBody.parse(body, 'host');
  const host = normalizeRegisteredHost(name, zones);
  if (parsed.host !== undefined && normalizeRegisteredHost(parsed.host, zones) !== host) {
    throw new GerbangError('VALIDATION_FAILED', `/host: "${parsed.host}" differs from the host in the URL`);
  }
  const redirectFields = checkRedirectFields(host, parsed);
  const routes = parsed.routes ?? [];
  const paths = new Set<string>();
  for (const [i, route] of routes.entries()) {
    const key = normalizeRoutePath(route.path);
    if (paths.has(key)) {
      throw new GerbangError('VALIDATION_FAILED', `/routes/${i}/path: "${route.path}" is declared twice`);
    }
    paths.add(key);
    // Requests are routed on their normalised path (request-target.ts): a route spelt otherwise never matches.
    const canonical = normalizePath(route.path);
    if (canonical !== route.path) {
      const hint = canonical === undefined ? 'a request path never holds it' : `write it as "${canonical}"`;
      throw new GerbangError(
        'VALIDATION_FAILED',
        `/routes/${i}/path: "${route.path}" can never match a request (${hint}): no backslash, dot segment or encoded slash`,
      );
    }
    for (const [j, target] of route.targets.entries()) parseTarget(target, `/routes/${i}/targets/${j}`);
    checkRouteResilience(route, `/routes/${i}`);
    checkHeadersPolicy(route.headers, `/routes/${i}/headers`);
  }
  checkHeadersPolicy(parsed.headers, '/headers');
  const doc: HostDoc = {
    host,
    agency: parsed.agency,
    routes,
    ...redirectFields,
    ...(parsed.cache !== undefined ? { cache: parsed.cache } : {}),
    ...(parsed.compression !== undefined ? { compression: parsed.compression } : {}),
    ...(parsed.serveStaleOnError !== undefined ? { serveStaleOnError: parsed.serveStaleOnError } : {}),
    ...(parsed.maintenance !== undefined ? { maintenance: parsed.maintenance } : {}),
    ...(parsed.app !== undefined ? { app: parsed.app } : {}),
    ...(parsed.forceHttps !== undefined ? { forceHttps: parsed.forceHttps } : {}),
    ...(parsed.hsts !== undefined ? { hsts: parsed.hsts } : {}),
    ...(parsed.probeFilter !== undefined ? { probeFilter: parsed.probeFilter } : {}),
    ...(parsed.access !== undefined ? { access: parsed.access } : {}),
    ...(parsed.rateLimit !== undefined ? { rateLimit: parsed.rateLimit } : {}),
    ...(parsed.headers !== undefined ? { headers: parsed.headers } : {}),
    ...(parsed.errorPages !== undefined ? { errorPages: parsed.errorPages } : {}),
    ...(parsed.defacement !== undefined ? { defacement: parsed.defacement } : {}),
    updatedAt: new Date().toISOString(),
  };
  normalizeBasicAuth(doc);
  return doc;
}

const ADMIN_ACTOR: Actor = { principal: { tokenId: 'internal', scope: 'admin' }, ip: '' };

export class HostService {
  constructor(private readonly options: HostServiceOptions) {}

  /** Every host the caller may see (an agency sees its own). */
  list(principal?: Principal): HostView[] {
    return this.options.publisher
      .list()
      .filter(({ doc }) => principal === undefined || canSeeHost(principal, doc))
      .map(({ doc, source }) => ({ ...doc, source }));
  }

  get(name: string, principal?: Principal): HostView {
    const host = normalizeRegisteredHost(name, this.options.zones);
    if (principal && this.options.registry)
      assertHostAccess(principal, host, this.options.publisher, this.options.registry);
    const found = this.options.publisher.lookup(host);
    if (!found) throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered`);
    return { ...found.doc, source: found.source };
  }

  async put(
    name: string,
    body: unknown,
    actor: Actor = ADMIN_ACTOR,
    precondition: WritePrecondition = {},
  ): Promise<{ view: HostView; created: boolean }> {
    const { registry, policy, audit } = this.options;
    const doc = toHostDoc(name, body, this.options.zones);
    const requested = doc.agency;
    // Ownership is checked before DNS so an agency cannot probe names through the error messages.
    if (registry) authorizeHostWrite(actor.principal, doc.host, requested, undefined, registry);
    if (policy) {
      for (const [i, route] of doc.routes.entries()) {
        for (const [j, target] of route.targets.entries()) {
          await policy.check(parseTarget(target, `/routes/${i}/targets/${j}`), `/routes/${i}/targets/${j}`);
        }
      }
    }
    return this.locked(doc.host, async () => {
      if (this.options.publisher.lookup(doc.host)?.source === 'config') {
        throw new GerbangError(
          'CONFIG_MANAGED',
          `host ${doc.host} is declared in the config file; change it there`,
        );
      }
      // Read the store, not the mirror: another instance may have written this host a moment ago.
      const existing = await this.readStored(doc.host);
      if (precondition.ifUpdatedAt !== undefined && existing?.updatedAt !== precondition.ifUpdatedAt) {
        throw new GerbangError('CONFLICT', `host ${doc.host} changed while it was being patched; try again`);
      }
      if (precondition.ifAbsent === true && existing !== undefined) {
        throw new GerbangError('HOST_TAKEN', `${doc.host} is already registered; edit it instead`);
      }
      if (registry) doc.agency = authorizeHostWrite(actor.principal, doc.host, requested, existing, registry);
      if (doc.agency === undefined) delete doc.agency;
      if (registry) this.checkQuota(actor.principal, doc, existing, registry);
      const others = this.options.publisher
        .list()
        .map((entry) => entry.doc)
        .filter((other) => other.host !== doc.host);
      checkAliasClaims(doc, others, actor.principal, registry);
      assertNoRedirectLoop(doc, others);
      // Plaintext passwords end here: the store, the audit and the snapshot see only hashes.
      await hashBasicAuthPasswords(doc);
      await this.options.store.put('hosts', doc.host, encodeHost(doc));
      this.options.publisher.applyLocal(doc.host, doc);
      await audit?.append(actor, {
        action: 'host.put',
        target: doc.host,
        owners: [existing?.agency, doc.agency],
        before: existing ?? null,
        after: doc,
      });
      return { view: { ...doc, source: 'store' as const }, created: existing === undefined };
    });
  }

  /**
   * Changes only what `patch` names (JSON Merge Patch, RFC 7396); the result is validated and checked as a
   * PUT of it would be. Applied to the stored document it was computed from, or retried on a newer one.
   */
  async patch(name: string, patch: unknown, actor: Actor = ADMIN_ACTOR): Promise<HostView> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      throw new GerbangError('VALIDATION_FAILED', 'a merge patch is a JSON object');
    }
    for (let attempt = 1; ; attempt++) {
      const current = this.get(name, actor.principal);
      if (current.source === 'config') {
        throw new GerbangError(
          'CONFIG_MANAGED',
          `host ${current.host} is declared in the config file; change it there`,
        );
      }
      const { updatedAt, source: _source, routes, ...rest } = current;
      // A redirect-only host has no routes to send back: `routes: []` is not a body PUT takes.
      const body = routes.length === 0 ? rest : { ...rest, routes };
      try {
        return (await this.put(name, mergePatch(body, patch), actor, { ifUpdatedAt: updatedAt })).view;
      } catch (err) {
        // Another write landed between the read and the lock: patch the newer document instead.
        if (!isGerbangError(err) || err.code !== 'CONFLICT' || attempt >= PATCH_ATTEMPTS) throw err;
        await this.refresh(current.host);
      }
    }
  }

  async delete(name: string, actor: Actor = ADMIN_ACTOR): Promise<void> {
    const { registry, audit } = this.options;
    const host = normalizeRegisteredHost(name, this.options.zones);
    if (
      registry &&
      agencyOf(actor.principal) !== undefined &&
      !registry.agencyOwns(agencyOf(actor.principal) as string, host)
    ) {
      throw new GerbangError('HOST_NOT_OWNED', `agency ${agencyOf(actor.principal)} does not own ${host}`);
    }
    await this.locked(host, async () => {
      const mirrored = this.options.publisher.lookup(host);
      if (mirrored?.source === 'config') {
        throw new GerbangError(
          'CONFIG_MANAGED',
          `host ${host} is declared in the config file; remove it there`,
        );
      }
      const existing = await this.readStored(host);
      if (registry && existing)
        assertHostAccess(actor.principal, host, { lookup: () => ({ doc: existing }) }, registry);
      const removed = await this.options.store.delete('hosts', host);
      if (!removed && !mirrored) throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered`);
      this.options.publisher.applyLocal(host, undefined);
      await audit?.append(actor, {
        action: 'host.delete',
        target: host,
        owners: [existing?.agency],
        before: existing ?? null,
        after: null,
      });
    });
  }

  /** Brings this instance's view of `host` up to the store's, so a retried patch starts from the newest document. */
  private async refresh(host: string): Promise<void> {
    const stored = await this.readStored(host);
    if (stored !== undefined) this.options.publisher.applyLocal(host, stored);
  }

  /**
   * An agency token may not take its agency past the quota on its agency document (admins set it; admin writes
   * are not counted against it). Counted on this instance's mirror: two instances creating at once may overshoot
   * by one each, never without bound.
   */
  private checkQuota(
    principal: Principal,
    doc: HostDoc,
    existing: HostDoc | undefined,
    registry: Registry,
  ): void {
    const own = agencyOf(principal);
    if (own === undefined) return;
    const quota = quotaOf(registry.agency(own));
    if (doc.routes.length > quota.routesPerHost) {
      throw new GerbangError(
        'QUOTA_EXCEEDED',
        `/routes: ${doc.routes.length} routes; agency ${own} may have ${quota.routesPerHost} per host`,
      );
    }
    if (existing?.agency === own) return;
    let held = 0;
    for (const { doc: other } of this.options.publisher.list()) if (other.agency === own) held++;
    if (held >= quota.hosts) {
      throw new GerbangError(
        'QUOTA_EXCEEDED',
        `agency ${own} holds ${held} hosts, its quota; an admin can raise it on the agency`,
      );
    }
  }

  private async readStored(host: string): Promise<HostDoc | undefined> {
    const raw = await this.options.store.get('hosts', host);
    if (raw === undefined) return undefined;
    try {
      return decodeHost(host, raw);
    } catch {
      // A corrupt value is nobody's: an admin may overwrite it, an agency may not take it.
      return { host, agency: '(corrupt)', routes: [], updatedAt: '' };
    }
  }

  /** Read-check-write under a store lock, so two instances cannot both hand one host to two agencies. */
  private async locked<T>(host: string, work: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + HOST_WRITE_LOCK_WAIT_MS;
    let lock = await this.options.store.tryLock(`host:${host}`, HOST_WRITE_LOCK_TTL_MS);
    while (lock === undefined) {
      if (Date.now() > deadline) {
        throw new GerbangError('CONFLICT', `another write to ${host} is in progress; try again`);
      }
      await sleep(10 + Math.random() * 20);
      lock = await this.options.store.tryLock(`host:${host}`, HOST_WRITE_LOCK_TTL_MS);
    }
    try {
      return await work();
    } finally {
      await lock.release().catch(() => undefined);
    }
  }
}
