/** Checks a whole configuration document before anything is applied (schema, policy, ownership, overlaps) and plans the steps. */
import { GerbangError } from '../../errors.js';
import { quotaOf } from '../../model/agency-schema.js';
import { normalizeRegisteredHost } from '../../model/host-name.js';
import type { HostDoc } from '../../model/host-schema.js';
import { parseTarget } from '../../model/target-url.js';
import type { Actor } from '../audit-log.js';
import { agencyOf } from '../auth.js';
import { authorizeHostWrite } from '../authorization.js';
import { validateUpload } from '../certificates/upload.js';
import { toHostDoc } from '../host-service.js';
import { nameIsUnder } from '../registry.js';
import { type AgencyFields, normalizeAgency } from './agency-entry.js';
import { changedFields } from './diff.js';
import { planInventory } from './plan-inventory.js';
import { type FieldRefusal, isObject, Problems } from './plan-problems.js';
import { type ImportPlan, orderSteps, type PlannedStep } from './plan-steps.js';
import { planUsers } from './plan-users.js';
import type { TransferChange, TransferDocument } from './transfer-document.js';
import type { TransferOptions } from './transfer-options.js';

function withoutTimestamp<T extends { updatedAt?: string }>(doc: T): Omit<T, 'updatedAt'> {
  const { updatedAt: _u, ...rest } = doc;
  return rest;
}

export async function planImport(
  options: TransferOptions,
  doc: TransferDocument,
  actor: Actor,
  prune: boolean,
): Promise<ImportPlan> {
  const { registry, zones } = options;
  const own = agencyOf(actor.principal);
  const problems = new Problems();
  const steps: PlannedStep[] = [];
  const changes: TransferChange[] = [];

  // Agencies, in file order; each one's names checked against the agencies as they will be at that step.
  const agencies = new Map<string, AgencyFields>(
    registry.listAgencies().map((a) => [a.id, withoutTimestamp(a)]),
  );
  const listed = new Set<string>();
  for (const [i, entry] of (doc.agencies ?? []).entries()) {
    const path = `/agencies/${i}`;
    let next: AgencyFields;
    try {
      next = normalizeAgency(entry, zones);
    } catch (err) {
      problems.add(path, err);
      continue;
    }
    if (listed.has(next.id)) {
      problems.add(`${path}/id`, new GerbangError('VALIDATION_FAILED', `agency ${next.id} is listed twice`));
      continue;
    }
    listed.add(next.id);
    const before = registry.agency(next.id);
    const fields = before ? changedFields(withoutTimestamp(before), next) : undefined;
    if (fields !== undefined && fields.length === 0) {
      changes.push({ kind: 'agency', name: next.id, agency: next.id, action: 'unchanged' });
      continue;
    }
    if (own !== undefined) {
      problems.add(
        path,
        new GerbangError('FORBIDDEN', `agency ${next.id}: agencies are imported by admins only`),
      );
      continue;
    }
    let clash: string | undefined;
    for (const other of agencies.values()) {
      if (other.id === next.id) continue;
      const mine = next.owns.find((m) => other.owns.some((o) => nameIsUnder(m, o) || nameIsUnder(o, m)));
      if (mine !== undefined) clash = `${mine} overlaps a name owned by agency ${other.id}`;
    }
    if (clash !== undefined) {
      problems.add(`${path}/owns`, new GerbangError('CONFLICT', clash));
      continue;
    }
    agencies.set(next.id, next);
    steps.push({ kind: 'agency.put', id: next.id, body: next, before });
    changes.push({
      kind: 'agency',
      name: next.id,
      agency: next.id,
      action: before ? 'change' : 'create',
      ...(fields ? { fields } : {}),
    });
  }

  // Hosts: validated as PUT /v1/hosts/{host} validates them, then owned, policy-checked and counted.
  const hostNames = new Set<string>();
  const resulting = new Map<string, string | undefined>();
  let ownHeld = 0;
  for (const { doc: d } of visibleStoreHosts(options, actor)) if (d.agency === own) ownHeld++;
  for (const [i, entry] of (doc.hosts ?? []).entries()) {
    const path = `/hosts/${i}`;
    if (!isObject(entry) || typeof entry.host !== 'string') {
      problems.add(`${path}/host`, new GerbangError('VALIDATION_FAILED', 'an imported host names its host'));
      continue;
    }
    const { managedBy, ...body } = entry;
    if (managedBy !== undefined && managedBy !== 'config') {
      problems.add(`${path}/managedBy`, new GerbangError('VALIDATION_FAILED', 'expected config or nothing'));
      continue;
    }
    let next: HostDoc;
    try {
      next = toHostDoc(entry.host, body, zones);
    } catch (err) {
      problems.add(path, err);
      continue;
    }
    if (hostNames.has(next.host)) {
      problems.add(
        `${path}/host`,
        new GerbangError('VALIDATION_FAILED', `host ${next.host} is listed twice`),
      );
      continue;
    }
    hostNames.add(next.host);
    const current = options.lookup(next.host);
    if (managedBy === 'config') {
      // The config file owns it: never imported over, here or on a fresh instance (it belongs in that file).
      changes.push({
        kind: 'host',
        name: next.host,
        agency: next.agency,
        action: 'skipped',
        reason: 'config-managed',
      });
      continue;
    }
    if (current?.source === 'config') {
      problems.add(
        path,
        new GerbangError(
          'CONFIG_MANAGED',
          `host ${next.host} is declared in the config file; change it there`,
        ),
      );
      continue;
    }
    const existing = current?.doc;
    let agency: string | undefined;
    const owned = await problems.guard(path, () => {
      agency = authorizeHostWrite(actor.principal, next.host, next.agency, existing, registry);
    });
    if (!owned) continue;
    let allowed = true;
    if (options.policy) {
      for (const [r, route] of next.routes.entries()) {
        for (const [t, target] of route.targets.entries()) {
          const where = `${path}/routes/${r}/targets/${t}`;
          allowed =
            (await problems.guard(where, () => options.policy?.check(parseTarget(target, where), where))) &&
            allowed;
        }
      }
    }
    if (!allowed) continue;
    if (own !== undefined) {
      const quota = quotaOf(registry.agency(own));
      if (next.routes.length > quota.routesPerHost) {
        problems.add(
          `${path}/routes`,
          new GerbangError(
            'QUOTA_EXCEEDED',
            `${next.routes.length} routes; agency ${own} may have ${quota.routesPerHost} per host`,
          ),
        );
        continue;
      }
      if (existing?.agency !== own && ++ownHeld > quota.hosts) {
        problems.add(
          path,
          new GerbangError(
            'QUOTA_EXCEEDED',
            `agency ${own} would hold more than its quota of ${quota.hosts} hosts`,
          ),
        );
        continue;
      }
    }
    const stored = { ...next, agency };
    if (stored.agency === undefined) delete stored.agency;
    resulting.set(next.host, stored.agency);
    const fields = existing ? changedFields(existing, stored) : undefined;
    if (fields !== undefined && fields.length === 0) {
      changes.push({ kind: 'host', name: next.host, agency: stored.agency, action: 'unchanged' });
      continue;
    }
    const { updatedAt: _u, ...putBody } = stored;
    steps.push({ kind: 'host.put', host: next.host, body: putBody, before: existing });
    changes.push({
      kind: 'host',
      name: next.host,
      agency: stored.agency,
      action: existing ? 'change' : 'create',
      ...(fields ? { fields } : {}),
    });
  }

  // Prune: what the caller may write and the file leaves out. Never config-managed hosts.
  if (prune) {
    for (const { doc: d } of visibleStoreHosts(options, actor)) {
      if (hostNames.has(d.host)) continue;
      steps.push({ kind: 'host.delete', host: d.host, before: d });
      changes.push({ kind: 'host', name: d.host, agency: d.agency, action: 'remove' });
    }
  }
  for (const { doc: d, source } of visibleHosts(options, actor)) {
    if (!resulting.has(d.host) && !(prune && source === 'store')) resulting.set(d.host, d.agency);
  }
  if (prune && own === undefined) {
    for (const agency of registry.listAgencies()) {
      if (listed.has(agency.id)) continue;
      const holder = [...resulting].find(([, owner]) => owner === agency.id);
      if (holder !== undefined) {
        problems.add(
          '/agencies',
          new GerbangError(
            'CONFLICT',
            `agency ${agency.id} would be removed while host ${holder[0]} is registered to it`,
          ),
        );
        continue;
      }
      steps.push({ kind: 'agency.delete', id: agency.id, before: agency });
      changes.push({ kind: 'agency', name: agency.id, agency: agency.id, action: 'remove' });
    }
  }

  planInventory(options, doc, actor, prune, { agencies, resulting, problems, steps, changes });
  await planUsers(options, doc, actor, prune, { agencies, resulting, problems, steps, changes });

  // Certificates: private keys, so admins only; checked as an upload is.
  const certNames = new Set<string>();
  for (const [i, entry] of (doc.certificates ?? []).entries()) {
    const path = `/certificates/${i}`;
    if (own !== undefined) {
      problems.add(path, new GerbangError('FORBIDDEN', 'certificates are imported by admins only'));
      continue;
    }
    if (!options.certificates) {
      problems.add(path, new GerbangError('VALIDATION_FAILED', 'this instance serves no certificates'));
      continue;
    }
    let host: string;
    try {
      host = normalizeRegisteredHost(entry.host, zones);
      validateUpload(host, { certificate: entry.certificate, key: entry.key });
    } catch (err) {
      problems.add(path, err);
      continue;
    }
    if (certNames.has(host)) {
      problems.add(
        `${path}/host`,
        new GerbangError('VALIDATION_FAILED', `certificate of ${host} is listed twice`),
      );
      continue;
    }
    certNames.add(host);
    const before = options.certificates.records().find((r) => r.host === host);
    const agency = resulting.get(host);
    if (before && before.certificate.trim() === entry.certificate.trim() && before.source === 'uploaded') {
      changes.push({ kind: 'certificate', name: host, agency, action: 'unchanged' });
      continue;
    }
    steps.push({ kind: 'certificate.put', host, certificate: entry.certificate, key: entry.key, before });
    changes.push({ kind: 'certificate', name: host, agency, action: before ? 'change' : 'create' });
  }

  if (problems.list.length > 0) {
    const [first] = problems.list as [FieldRefusal];
    const more = problems.list.length > 1 ? ` (and ${problems.list.length - 1} more)` : '';
    throw new GerbangError(
      first.code,
      `import refused, nothing applied: ${first.path}: ${first.message}${more}`,
      {
        fields: problems.list,
      },
    );
  }
  return { steps: orderSteps(steps), changes };
}

function visibleHosts(options: TransferOptions, actor: Actor) {
  return options.hosts.list(actor.principal).map((view) => ({
    doc: withoutSource(view),
    source: view.source,
  }));
}

function visibleStoreHosts(options: TransferOptions, actor: Actor) {
  return visibleHosts(options, actor).filter((h) => h.source === 'store');
}

function withoutSource<T extends { source?: unknown }>(view: T): Omit<T, 'source'> {
  const { source: _s, ...doc } = view;
  return doc;
}
