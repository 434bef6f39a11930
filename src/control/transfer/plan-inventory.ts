/** The inventory part of an import plan: each entry checked as PUT /v1/inventory/{id} checks it, against the agencies and hosts the import leaves. */
import { GerbangError } from '../../errors.js';
import type { Actor } from '../audit-log.js';
import type { AgencyFields } from './agency-entry.js';
import { changedFields } from './diff.js';
import { isObject, type Problems } from './plan-problems.js';
import type { PlannedStep } from './plan-steps.js';
import type { TransferChange, TransferDocument } from './transfer-document.js';
import type { TransferOptions } from './transfer-options.js';

export interface PlanSoFar {
  /** Agencies as the import leaves them (removals among `steps`). */
  agencies: ReadonlyMap<string, AgencyFields>;
  /** Host name → agency, as the import leaves them. */
  resulting: ReadonlyMap<string, string | undefined>;
  problems: Problems;
  steps: PlannedStep[];
  changes: TransferChange[];
}

export function planInventory(
  options: TransferOptions,
  doc: TransferDocument,
  actor: Actor,
  prune: boolean,
  plan: PlanSoFar,
): void {
  const entries = doc.inventory ?? [];
  const inventory = options.inventory;
  if (inventory === undefined) {
    if (entries.length > 0)
      plan.problems.add(
        '/inventory',
        new GerbangError('VALIDATION_FAILED', 'this instance keeps no inventory'),
      );
    return;
  }
  const removed = new Set(plan.steps.flatMap((s) => (s.kind === 'agency.delete' ? [s.id] : [])));
  const world = {
    agencyExists: (id: string) => plan.agencies.has(id) && !removed.has(id),
    hostAgency: (host: string) => (plan.resulting.has(host) ? (plan.resulting.get(host) ?? null) : undefined),
  };
  const listed = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const path = `/inventory/${i}`;
    if (!isObject(entry) || typeof entry.id !== 'string') {
      plan.problems.add(
        `${path}/id`,
        new GerbangError('VALIDATION_FAILED', 'an imported entry names its id'),
      );
      continue;
    }
    if (listed.has(entry.id)) {
      plan.problems.add(
        `${path}/id`,
        new GerbangError('VALIDATION_FAILED', `entry ${entry.id} is listed twice`),
      );
      continue;
    }
    listed.add(entry.id);
    let next: ReturnType<typeof inventory.prepare>;
    try {
      next = inventory.prepare(entry.id, entry, actor.principal, world);
    } catch (err) {
      // The service names the field (`/url: ...`); the path says which entry of the file.
      plan.problems.add(path, err);
      continue;
    }
    const before = inventory.stored(next.id);
    const fields = before ? changedFields(before, next) : undefined;
    if (fields !== undefined && fields.length === 0) {
      plan.changes.push({ kind: 'inventory', name: next.id, agency: next.agency, action: 'unchanged' });
      continue;
    }
    const { updatedAt: _u, ...body } = next;
    plan.steps.push({ kind: 'inventory.put', id: next.id, body, before });
    plan.changes.push({
      kind: 'inventory',
      name: next.id,
      agency: next.agency,
      action: before ? 'change' : 'create',
      ...(fields ? { fields } : {}),
    });
  }
  if (!prune) return;
  for (const existing of inventory.exportEntries(actor.principal)) {
    if (listed.has(existing.id)) continue;
    const before = inventory.stored(existing.id);
    if (before === undefined) continue;
    plan.steps.push({ kind: 'inventory.delete', id: existing.id, before });
    plan.changes.push({ kind: 'inventory', name: existing.id, agency: existing.agency, action: 'remove' });
  }
}
