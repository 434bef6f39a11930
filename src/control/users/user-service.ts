/** Konsol accounts in the store's `users` namespace: created, reset and removed by admins; removing one ends its sessions everywhere. */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { TOTP_PENDING_TTL_MS } from '../../config/defaults.js';
import { GerbangError } from '../../errors.js';
import { compileValidator } from '../../model/validate.js';
import type { Store } from '../../store/store.js';
import type { Actor, AuditLog } from '../audit-log.js';
import { type Principal, requireAdmin } from '../auth.js';
import { hashPassword, verifyPassword } from './password.js';
import { matchRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import {
  OwnPasswordSchema,
  PasswordResetSchema,
  type StoredUser,
  StoredUserSchema,
  TotpCodeSchema,
  type TransferredUser,
  UserBodySchema,
  type UserView,
} from './user-schema.js';

const userBody = compileValidator(UserBodySchema);
const resetBody = compileValidator(PasswordResetSchema);
const ownBody = compileValidator(OwnPasswordSchema);
const storedUser = compileValidator(StoredUserSchema);
const totpCode = compileValidator(TotpCodeSchema);

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
  const { passwordHash: _hash, totp, totpPending: _pending, ...view } = user;
  return { ...view, totp: totp !== undefined };
}

/** A logged-in user acts with the scope of their role; audit entries name them as `user:<id>`. */
export function principalOfUser(user: StoredUser): Principal {
  return { tokenId: `user:${user.id}`, scope: user.role as Principal['scope'] };
}

function newUserId(): string {
  return `usr_${randomBytes(8).toString('hex')}`;
}

function agencyOfRole(role: string): string | undefined {
  return role === 'admin' ? undefined : role.slice('agency:'.length);
}

const LAST_KNOWN_USERS = 1_000;

export class UserService {
  /** Users last read by id, used only while the store is unreachable. */
  private readonly lastKnown = new LRUCache<string, StoredUser>({ max: LAST_KNOWN_USERS });

  constructor(private readonly options: UserServiceOptions) {}

  /** The stored user, or undefined (also for a record that does not parse: it cannot log in). */
  async byId(id: string): Promise<StoredUser | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.options.store.get('users', id);
    } catch (err) {
      // Unreachable store: the user last read here (a signed-in session's), so an admin still sees the system page.
      const known = this.options.store.state === 'disconnected' ? this.lastKnown.get(id) : undefined;
      if (known === undefined) throw err;
      return known;
    }
    if (raw === undefined) {
      this.lastKnown.delete(id);
      return undefined;
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!storedUser.check(parsed)) return undefined;
      this.lastKnown.set(id, parsed);
      return parsed;
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

  /** Every parseable stored account, secrets included: for an import's plan and its rollback, never an answer. */
  async storedAccounts(): Promise<StoredUser[]> {
    return this.all();
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
        id: newUserId(),
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
    const found = await this.authenticate(parsed.login, parsed.currentPassword);
    const user = found && (await this.passSecondFactor(found, parsed.code));
    if (user === undefined) throw new GerbangError('UNAUTHORIZED', 'wrong login, password or code');
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

  /**
   * The user once their second factor is checked: as it is without TOTP, with the code's step (or the used
   * recovery code) recorded when it matches, undefined when the code is missing or wrong.
   */
  async passSecondFactor(
    user: StoredUser,
    code: string | undefined,
    now = Date.now(),
  ): Promise<StoredUser | undefined> {
    const totp = user.totp;
    if (totp === undefined) return user;
    const typed = (code ?? '').trim();
    if (typed === '') return undefined;
    const step = matchTotp(totp.secret, typed.replace(/\s/g, ''), now, totp.lastStep);
    let next: StoredUser['totp'];
    if (step !== undefined) next = { ...totp, lastStep: step };
    else {
      const index = matchRecoveryCode(totp.recovery, typed);
      if (index < 0) return undefined;
      next = { ...totp, recovery: totp.recovery.filter((_, i) => i !== index) };
    }
    const updated: StoredUser = { ...user, totp: next };
    await this.options.store.put('users', user.id, JSON.stringify(updated));
    return updated;
  }

  /** Starts an enrolment: a new secret, kept pending until a first code confirms it. */
  async startTotp(userId: string, now = Date.now()): Promise<{ secret: string; uri: string }> {
    const user = await this.mustExist(userId);
    if (user.totp !== undefined) throw new GerbangError('CONFLICT', 'a second factor is already enrolled');
    const secret = newTotpSecret();
    const updated: StoredUser = { ...user, totpPending: { secret, createdAt: now } };
    await this.options.store.put('users', user.id, JSON.stringify(updated));
    return { secret, uri: otpauthUri(user.login, secret) };
  }

  /** The pending secret of an enrolment still open, for showing its QR code again. */
  async pendingTotp(userId: string, now = Date.now()): Promise<{ secret: string; uri: string } | undefined> {
    const user = await this.mustExist(userId);
    const pending = user.totpPending;
    if (pending === undefined || now - pending.createdAt > TOTP_PENDING_TTL_MS) return undefined;
    return { secret: pending.secret, uri: otpauthUri(user.login, pending.secret) };
  }

  /** Confirms an enrolment with a first code; answers the recovery codes, shown this once and never again. */
  async confirmTotp(userId: string, body: unknown, ip: string, now = Date.now()): Promise<string[]> {
    const { code } = totpCode.parse(body, 'TOTP code');
    const user = await this.mustExist(userId);
    const pending = user.totpPending;
    if (pending === undefined || now - pending.createdAt > TOTP_PENDING_TTL_MS) {
      throw new GerbangError('CONFLICT', 'no enrolment is open: start again');
    }
    const step = matchTotp(pending.secret, code.replace(/\s/g, ''), now);
    if (step === undefined) throw new GerbangError('VALIDATION_FAILED', '/code: the code does not match');
    const { codes, digests } = newRecoveryCodes();
    const { totpPending: _pending, ...rest } = user;
    const updated: StoredUser = {
      ...rest,
      totp: {
        secret: pending.secret,
        enabledAt: new Date(now).toISOString(),
        lastStep: step,
        recovery: digests,
      },
      updatedAt: new Date(now).toISOString(),
    };
    await this.options.store.put('users', user.id, JSON.stringify(updated));
    await this.options.audit.append(
      { principal: principalOfUser(user), ip },
      {
        action: 'user.totp.enable',
        target: user.id,
        owners: [agencyOfRole(user.role)],
        before: null,
        after: null,
      },
    );
    return codes;
  }

  /** Removes a user's second factor: an admin for a user who lost the phone, or the user with a current code. */
  async removeTotp(userId: string, actor: Actor): Promise<UserView> {
    const user = await this.mustExist(userId);
    if (actor.principal.tokenId !== `user:${userId}`) requireAdmin(actor.principal);
    const { totp: _totp, totpPending: _pending, ...rest } = user;
    const updated: StoredUser = { ...rest, updatedAt: new Date().toISOString() };
    await this.options.store.put('users', user.id, JSON.stringify(updated));
    await this.options.audit.append(actor, {
      action: 'user.totp.remove',
      target: user.id,
      owners: [agencyOfRole(user.role)],
      before: null,
      after: null,
    });
    return viewOfUser(updated);
  }

  /**
   * An account restored from an export, which never carries a password: it gets one nobody knows, so the person
   * signs in only after an admin resets it (POST /v1/users/{id}/password). Its id is kept when the export has it.
   */
  async createImported(profile: TransferredUser, actor: Actor, now = Date.now()): Promise<UserView> {
    requireAdmin(actor.principal);
    const at = new Date(now).toISOString();
    const id =
      profile.id !== undefined && (await this.byId(profile.id)) === undefined ? profile.id : newUserId();
    const user: StoredUser = {
      id,
      name: profile.name.trim(),
      login: profile.login,
      role: profile.role,
      createdAt: at,
      updatedAt: at,
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
    };
    await this.options.store.put('users', user.id, JSON.stringify(user));
    const view = viewOfUser(user);
    await this.options.audit.append(actor, {
      action: 'user.create',
      target: user.id,
      owners: [agencyOfRole(user.role)],
      before: null,
      after: { ...view, imported: true },
    });
    return view;
  }

  /** Name and role of an existing account (an import); a changed role ends its sessions, as its rights changed. */
  async updateProfile(id: string, profile: { name: string; role: string }, actor: Actor): Promise<UserView> {
    requireAdmin(actor.principal);
    const user = await this.mustExist(id);
    const updated: StoredUser = {
      ...user,
      name: profile.name.trim(),
      role: profile.role,
      updatedAt: new Date().toISOString(),
    };
    await this.options.store.put('users', id, JSON.stringify(updated));
    if (updated.role !== user.role) await this.options.endSessionsOf(id);
    await this.options.audit.append(actor, {
      action: 'user.update',
      target: id,
      owners: [agencyOfRole(user.role), agencyOfRole(updated.role)],
      before: viewOfUser(user),
      after: viewOfUser(updated),
    });
    return viewOfUser(updated);
  }

  /** Removes every member account of an agency that is being removed (audited one by one, sessions ended). */
  async deleteMembersOf(agency: string, actor: Actor): Promise<void> {
    for (const user of await this.all()) {
      if (user.role === `agency:${agency}`) await this.delete(user.id, actor);
    }
  }

  /** Puts a removed account back as it was, secrets included (an import rolled back); never from outside input. */
  async restoreStored(user: StoredUser, actor: Actor): Promise<void> {
    requireAdmin(actor.principal);
    await this.options.store.put('users', user.id, JSON.stringify(user));
    await this.options.audit.append(actor, {
      action: 'user.restore',
      target: user.id,
      owners: [agencyOfRole(user.role)],
      before: null,
      after: viewOfUser(user),
    });
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
