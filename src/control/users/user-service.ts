/** Konsol accounts in the store's `users` namespace: created, reset and removed by admins; removing one ends its sessions everywhere. */
import { randomBytes } from 'node:crypto';
import { GerbangError } from '../../errors.js';
import { compileValidator } from '../../model/validate.js';
import type { Store } from '../../store/store.js';
import type { Actor, AuditLog } from '../audit-log.js';
import { type Principal, requireAdmin } from '../auth.js';
import { hashPassword, verifyPassword } from './password.js';
import {
  OwnPasswordSchema,
  PasswordResetSchema,
  type StoredUser,
  StoredUserSchema,
  UserBodySchema,
  type UserView,
} from './user-schema.js';

const userBody = compileValidator(UserBodySchema);
const resetBody = compileValidator(PasswordResetSchema);
const ownBody = compileValidator(OwnPasswordSchema);
const storedUser = compileValidator(StoredUserSchema);

/** Logins are unique: creations take this lock so two instances cannot both create `budi`. */
const USERS_LOCK = 'users:create';
const USERS_LOCK_TTL_MS = 10_000;

export interface UserServiceOptions {
  store: Store;
  audit: AuditLog;
  agencyExists: (id: string) => boolean;
  /** Ends every session of a user (its password changed, or it was removed). */
  endSessionsOf: (userId: string) => Promise<void>;
}

export function viewOfUser(user: StoredUser): UserView {
  const { passwordHash: _hash, ...view } = user;
  return view;
}

/** A logged-in user acts with the scope of their role; audit entries name them as `user:<id>`. */
export function principalOfUser(user: StoredUser): Principal {
  return { tokenId: `user:${user.id}`, scope: user.role as Principal['scope'] };
}

function agencyOfRole(role: string): string | undefined {
  return role === 'admin' ? undefined : role.slice('agency:'.length);
}

export class UserService {
  constructor(private readonly options: UserServiceOptions) {}

  /** The stored user, or undefined (also for a record that does not parse: it cannot log in). */
  async byId(id: string): Promise<StoredUser | undefined> {
    const raw = await this.options.store.get('users', id);
    if (raw === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      return storedUser.check(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  private async all(): Promise<StoredUser[]> {
    const users: StoredUser[] = [];
    for (const [, raw] of await this.options.store.getAll('users')) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (storedUser.check(parsed)) users.push(parsed);
      } catch {
        // A damaged record is skipped: it can neither log in nor be listed.
      }
    }
    return users.sort((a, b) => (a.login < b.login ? -1 : 1));
  }

  async byLogin(login: string): Promise<StoredUser | undefined> {
    return (await this.all()).find((u) => u.login === login);
  }

  async list(actor: Actor): Promise<UserView[]> {
    requireAdmin(actor.principal);
    return (await this.all()).map(viewOfUser);
  }

  async create(body: unknown, actor: Actor, now = Date.now()): Promise<UserView> {
    requireAdmin(actor.principal);
    const parsed = userBody.parse(body, 'user');
    const agency = agencyOfRole(parsed.role);
    if (agency !== undefined && !this.options.agencyExists(agency)) {
      throw new GerbangError('VALIDATION_FAILED', `/role: agency ${agency} does not exist`);
    }
    const lock = await this.options.store.tryLock(USERS_LOCK, USERS_LOCK_TTL_MS);
    if (lock === undefined) throw new GerbangError('CONFLICT', 'another user is being created; retry');
    try {
      if ((await this.byLogin(parsed.login)) !== undefined) {
        throw new GerbangError('CONFLICT', `/login: ${parsed.login} is taken`);
      }
      const at = new Date(now).toISOString();
      const user: StoredUser = {
        id: `usr_${randomBytes(8).toString('hex')}`,
        name: parsed.name.trim(),
        login: parsed.login,
        role: parsed.role,
        createdAt: at,
        updatedAt: at,
        passwordHash: await hashPassword(parsed.password),
      };
      await this.options.store.put('users', user.id, JSON.stringify(user));
      const view = viewOfUser(user);
      await this.options.audit.append(actor, {
        action: 'user.create',
        target: user.id,
        owners: [agency],
        before: null,
        after: view,
      });
      return view;
    } finally {
      await lock.release();
    }
  }

  async resetPassword(id: string, body: unknown, actor: Actor): Promise<UserView> {
    requireAdmin(actor.principal);
    const { password } = resetBody.parse(body, 'password reset');
    const user = await this.mustExist(id);
    const updated = await this.setPassword(user, password);
    await this.options.audit.append(actor, {
      action: 'user.reset',
      target: id,
      owners: [agencyOfRole(user.role)],
      before: null,
      after: { login: user.login },
    });
    return viewOfUser(updated);
  }

  async delete(id: string, actor: Actor): Promise<void> {
    requireAdmin(actor.principal);
    const user = await this.mustExist(id);
    await this.options.store.delete('users', id);
    await this.options.endSessionsOf(id);
    await this.options.audit.append(actor, {
      action: 'user.delete',
      target: id,
      owners: [agencyOfRole(user.role)],
      before: viewOfUser(user),
      after: null,
    });
  }

  /** The user whose login and password these are, or undefined; always costs one scrypt. */
  async authenticate(login: string, password: string): Promise<StoredUser | undefined> {
    const user = await this.byLogin(login);
    return (await verifyPassword(password, user?.passwordHash)) ? user : undefined;
  }

  /** A user changes their own password with the current one; their other sessions end. */
  async changeOwnPassword(body: unknown, ip: string): Promise<UserView> {
    const parsed = ownBody.parse(body, 'password change');
    const user = await this.authenticate(parsed.login, parsed.currentPassword);
    if (user === undefined) throw new GerbangError('UNAUTHORIZED', 'wrong login or password');
    const updated = await this.setPassword(user, parsed.newPassword);
    await this.options.audit.append(
      { principal: principalOfUser(user), ip },
      {
        action: 'user.password',
        target: user.id,
        owners: [agencyOfRole(user.role)],
        before: null,
        after: { login: user.login },
      },
    );
    return viewOfUser(updated);
  }

  private async mustExist(id: string): Promise<StoredUser> {
    const user = await this.byId(id);
    if (user === undefined) throw new GerbangError('NOT_FOUND', `user ${id} does not exist`);
    return user;
  }

  private async setPassword(user: StoredUser, password: string): Promise<StoredUser> {
    const updated: StoredUser = {
      ...user,
      passwordHash: await hashPassword(password),
      updatedAt: new Date().toISOString(),
    };
    await this.options.store.put('users', user.id, JSON.stringify(updated));
    // Whoever knew the old password is out: every session of the user ends.
    await this.options.endSessionsOf(user.id);
    return updated;
  }
}
