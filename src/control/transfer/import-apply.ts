/** Applies a checked import plan through the API's own services, and undoes the applied steps if one fails. */
import { GerbangError, isGerbangError } from '../../errors.js';
import type { HostDoc } from '../../model/host-schema.js';
import type { StoredInventory } from '../../model/inventory-schema.js';
import type { Actor } from '../audit-log.js';
import type { PlannedStep } from './plan-steps.js';
import type { TransferOptions } from './transfer-options.js';

function hostBody(doc: HostDoc): Record<string, unknown> {
  const { updatedAt: _u, ...body } = doc as HostDoc & { source?: unknown };
  delete (body as { source?: unknown }).source;
  return body;
}

function inventoryOf(options: TransferOptions): NonNullable<TransferOptions['inventory']> {
  if (!options.inventory) throw new GerbangError('INTERNAL', 'the inventory is not served here');
  return options.inventory;
}

function usersOf(options: TransferOptions): NonNullable<TransferOptions['users']> {
  if (!options.users) throw new GerbangError('INTERNAL', 'users are not kept here');
  return options.users;
}

function inventoryBody(doc: StoredInventory): Record<string, unknown> {
  const { updatedAt: _u, ...body } = doc;
  return body;
}

async function apply(options: TransferOptions, step: PlannedStep, actor: Actor): Promise<void> {
  switch (step.kind) {
    case 'agency.put':
      await options.agencies.put(step.id, step.body, actor);
      return;
    case 'agency.delete':
      await options.agencies.delete(step.id, actor);
      return;
    case 'host.put':
      await options.hosts.put(step.host, step.body, actor);
      return;
    case 'host.delete':
      await options.hosts.delete(step.host, actor);
      return;
    case 'inventory.put':
      await inventoryOf(options).put(step.id, step.body, actor);
      return;
    case 'inventory.delete':
      await inventoryOf(options).delete(step.id, actor);
      return;
    case 'user.create':
      await usersOf(options).createImported(step.profile, actor);
      return;
    case 'user.update':
      await usersOf(options).updateProfile(step.id, step.profile, actor);
      return;
    case 'user.delete':
      await usersOf(options).delete(step.id, actor);
      return;
    case 'certificate.put':
      if (!options.certificates) throw new GerbangError('INTERNAL', 'certificates are not served here');
      await options.certificates.service.upload(
        step.host,
        { certificate: step.certificate, key: step.key },
        actor,
      );
      return;
  }
}

/** The inverse write of an applied step; undefined when there is none (a new certificate, an agency's tokens). */
async function undo(options: TransferOptions, step: PlannedStep, actor: Actor): Promise<string | undefined> {
  switch (step.kind) {
    case 'agency.put':
      if (step.before) {
        const { updatedAt: _u, ...body } = step.before;
        await options.agencies.put(step.id, body, actor);
      } else await options.agencies.delete(step.id, actor);
      return undefined;
    case 'agency.delete': {
      const { updatedAt: _u, ...body } = step.before;
      await options.agencies.put(step.id, body, actor);
      return `agency ${step.id} is back, its tokens and member accounts are not (removing an agency removes them)`;
    }
    case 'host.put':
      if (step.before) await options.hosts.put(step.host, hostBody(step.before), actor);
      else await options.hosts.delete(step.host, actor);
      return undefined;
    case 'host.delete':
      await options.hosts.put(step.host, hostBody(step.before), actor);
      return undefined;
    case 'inventory.put':
      if (step.before) await inventoryOf(options).put(step.id, inventoryBody(step.before), actor);
      else await inventoryOf(options).delete(step.id, actor);
      return undefined;
    case 'inventory.delete':
      await inventoryOf(options).put(step.id, inventoryBody(step.before), actor);
      return undefined;
    case 'user.create': {
      const made = (await usersOf(options).storedAccounts()).find((u) => u.login === step.login);
      if (made) await usersOf(options).delete(made.id, actor);
      return undefined;
    }
    case 'user.update':
      await usersOf(options).updateProfile(step.id, step.before, actor);
      return undefined;
    case 'user.delete':
      await usersOf(options).restoreStored(step.before, actor);
      return `user ${step.login} is back, its sessions are not (removing a user ends them)`;
    case 'certificate.put':
      if (!step.before || !options.certificates) {
        return `certificate of ${step.host} stays (certificates cannot be removed through the API)`;
      }
      await options.certificates.service.upload(
        step.host,
        { certificate: step.before.certificate, key: step.before.key },
        actor,
      );
      return undefined;
  }
}

function nameOf(step: PlannedStep): string {
  return `${step.kind} ${'login' in step ? step.login : 'id' in step ? step.id : step.host}`;
}

/**
 * Runs the steps in order. Everything was validated first, so a failure here is the store failing or a concurrent
 * write through the API; the steps already applied are then undone in reverse order (audited like any write) and
 * IMPORT_ROLLED_BACK says which step failed and what could not be restored.
 */
export async function applyPlan(options: TransferOptions, steps: PlannedStep[], actor: Actor): Promise<void> {
  const done: PlannedStep[] = [];
  for (const step of steps) {
    try {
      await apply(options, step, actor);
      done.push(step);
    } catch (err) {
      const notRestored: string[] = [];
      for (const applied of done.reverse()) {
        try {
          const left = await undo(options, applied, actor);
          if (left !== undefined) notRestored.push(left);
        } catch (undoErr) {
          notRestored.push(`${nameOf(applied)}: ${(undoErr as Error).message}`);
        }
      }
      const cause = isGerbangError(err) ? `${err.code}: ${err.message}` : (err as Error).message;
      throw new GerbangError(
        'IMPORT_ROLLED_BACK',
        `import failed at ${nameOf(step)} (${cause}); the ${done.length} steps applied before were undone`,
        { failedAt: nameOf(step), rolledBack: done.length, notRestored },
      );
    }
  }
}
