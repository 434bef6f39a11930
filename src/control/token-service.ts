/** Admin API tokens: issued by admins with a random secret shown once, stored as a SHA-256 hash, revoked everywhere at once. */
import { randomBytes } from 'node:crypto';
import { TOKEN_SECRET_BYTES } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import {
  type CreatedToken,
  type StoredToken,
  TokenBodySchema,
  type TokenView,
} from '../model/agency-schema.js';
import { compileValidator } from '../model/validate.js';
import type { Store } from '../store/store.js';
import type { Actor, AuditLog } from './audit-log.js';
import { hashSecret, requireAdmin } from './auth.js';
import type { Registry } from './registry.js';

const tokenBody = compileValidator(TokenBodySchema);

export interface TokenServiceOptions {
  store: Store;
  registry: Registry;
  audit: AuditLog;
}

function viewOf(token: StoredToken): TokenView {
  const { hash: _hash, ...view } = token;
  return view;
}

export class TokenService {
  constructor(private readonly options: TokenServiceOptions) {}

  list(actor: Actor): TokenView[] {
    requireAdmin(actor.principal);
    return this.options.registry.listTokens().map(viewOf);
  }

  async create(body: unknown, actor: Actor, now = Date.now()): Promise<CreatedToken> {
    requireAdmin(actor.principal);
    const parsed = tokenBody.parse(body, 'token');
    if (parsed.scope !== 'admin') {
      const agency = parsed.scope.slice('agency:'.length);
      if (!this.options.registry.agency(agency)) {
        throw new GerbangError('VALIDATION_FAILED', `/scope: agency ${agency} does not exist`);
      }
    }
    if (parsed.expiresAt !== undefined && Date.parse(parsed.expiresAt) <= now) {
      throw new GerbangError('VALIDATION_FAILED', '/expiresAt: lies in the past');
    }
    const id = `tok_${randomBytes(8).toString('hex')}`;
    // The prefix makes a leaked secret easy to recognise for secret scanners; the id is not derivable from it.
    const secret = `gbr_${randomBytes(TOKEN_SECRET_BYTES).toString('base64url')}`;
    const stored: StoredToken = {
      id,
      scope: parsed.scope,
      note: parsed.note,
      createdAt: new Date(now).toISOString(),
      createdBy: actor.principal.tokenId,
      ...(parsed.expiresAt !== undefined ? { expiresAt: new Date(parsed.expiresAt).toISOString() } : {}),
      hash: hashSecret(secret).toString('hex'),
    };
    await this.options.store.put('tokens', id, JSON.stringify(stored));
    this.options.registry.applyToken(id, stored);
    const view = viewOf(stored);
    await this.options.audit.append(actor, {
      action: 'token.create',
      target: id,
      owners: [parsed.scope === 'admin' ? undefined : parsed.scope.slice('agency:'.length)],
      before: null,
      after: view,
    });
    return { ...view, secret };
  }

  async delete(id: string, actor: Actor): Promise<void> {
    requireAdmin(actor.principal);
    const before = this.options.registry.token(id);
    if (!before) throw new GerbangError('NOT_FOUND', `token ${id} does not exist`);
    await this.options.store.delete('tokens', id);
    this.options.registry.applyToken(id, undefined);
    await this.options.audit.append(actor, {
      action: 'token.delete',
      target: id,
      owners: [before.scope === 'admin' ? undefined : before.scope.slice('agency:'.length)],
      before: viewOf(before),
      after: null,
    });
  }
}
