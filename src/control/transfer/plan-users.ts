/** The users part of an import plan: profiles checked as POST /v1/users checks them (admins only), matched by login; an export carries no secret, so a new account waits for a password reset. */
import { GerbangError } from '../../errors.js';
import { compileValidator } from '../../model/validate.js';
import type { Actor } from '../audit-log.js';
import { agencyOf } from '../auth.js';
import { type TransferredUser, TransferredUserSchema } from '../users/user-schema.js';
import { changedFields } from './diff.js';
import type { PlanSoFar } from './plan-inventory.js';
import type { TransferDocument } from './transfer-document.js';
import type { TransferOptions } from './transfer-options.js';

const transferredUser = compileValidator(TransferredUserSchema);

export async function planUsers(
  options: TransferOptions,
  doc: TransferDocument,
  actor: Actor,
  prune: boolean,
  plan: PlanSoFar,
): Promise<void> {
  const entries = doc.users ?? [];
  const users = options.users;
  // An agency token can read no account, so it neither writes nor prunes any.
  if (agencyOf(actor.principal) !== undefined) {
    if (entries.length > 0)
      plan.problems.add('/users', new GerbangError('FORBIDDEN', 'users are imported by admins only'));
    return;
  }
  if (users === undefined) {
    if (entries.length > 0)
      plan.problems.add('/users', new GerbangError('VALIDATION_FAILED', 'this instance keeps no users'));
    return;
  }
  const removed = new Set(plan.steps.flatMap((s) => (s.kind === 'agency.delete' ? [s.id] : [])));
  const stored = await users.storedAccounts();
  const byLogin = new Map(stored.map((u) => [u.login, u]));
  const listed = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const path = `/users/${i}`;
    let profile: TransferredUser;
    try {
      profile = transferredUser.parse(entry, 'user');
    } catch (err) {
      plan.problems.add(path, err);
      continue;
    }
    if (listed.has(profile.login)) {
      plan.problems.add(
        `${path}/login`,
        new GerbangError('VALIDATION_FAILED', `user ${profile.login} is listed twice`),
      );
      continue;
    }
    listed.add(profile.login);
    const agency = profile.role === 'admin' ? undefined : profile.role.slice('agency:'.length);
    if (agency !== undefined && (!plan.agencies.has(agency) || removed.has(agency))) {
      plan.problems.add(
        `${path}/role`,
        new GerbangError('VALIDATION_FAILED', `agency ${agency} does not exist`),
      );
      continue;
    }
    const wanted = { name: profile.name.trim(), role: profile.role };
    const before = byLogin.get(profile.login);
    if (before === undefined) {
      plan.steps.push({ kind: 'user.create', login: profile.login, profile });
      plan.changes.push({ kind: 'user', name: profile.login, agency, action: 'create' });
      continue;
    }
    const fields = changedFields({ name: before.name, role: before.role }, wanted);
    if (fields.length === 0) {
      plan.changes.push({ kind: 'user', name: profile.login, agency, action: 'unchanged' });
      continue;
    }
    plan.steps.push({ kind: 'user.update', login: profile.login, id: before.id, profile: wanted, before });
    plan.changes.push({ kind: 'user', name: profile.login, agency, action: 'change', fields });
  }
  // A file without a users list (older exports, hand-written files) removes only the members of a removed agency.
  const pruneAll = prune && Array.isArray(doc.users);
  for (const user of stored) {
    if (listed.has(user.login)) continue;
    const agency = user.role === 'admin' ? undefined : user.role.slice('agency:'.length);
    if (!pruneAll && !(agency !== undefined && removed.has(agency))) continue;
    plan.steps.push({ kind: 'user.delete', login: user.login, id: user.id, before: user });
    plan.changes.push({ kind: 'user', name: user.login, agency, action: 'remove' });
  }
}
