/** Who is calling the admin API: bearer tokens compared in constant time; the bootstrap admin token comes from the environment. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GerbangError } from '../errors.js';
import type { Registry } from './registry.js';

export interface Principal {
  /** Token id for audit; `bootstrap` for GERBANG_ADMIN_TOKEN. */
  tokenId: string;
  scope: 'admin' | `agency:${string}`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}

/** Hash-then-compare: equal-length digests make timingSafeEqual safe whatever the secret's length. */
export function secretMatches(secret: string, expectedHash: Buffer): boolean {
  return timingSafeEqual(hashSecret(secret), expectedHash);
}

export function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export class Authenticator {
  private readonly bootstrapHash: Buffer | undefined;

  /** `registry` holds the issued tokens (mirrored from the store); without it only the bootstrap token works. */
  constructor(
    bootstrapToken: string | undefined,
    private readonly registry?: Registry,
  ) {
    this.bootstrapHash = bootstrapToken ? hashSecret(bootstrapToken) : undefined;
  }

  /** The caller, or UNAUTHORIZED. Synchronous: it reads only the in-memory mirror. */
  authenticate(authorization: string | undefined, now = Date.now()): Principal {
    const secret = bearerOf(authorization);
    if (secret === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
    const hash = hashSecret(secret);
    if (this.bootstrapHash && timingSafeEqual(hash, this.bootstrapHash))
      return { tokenId: 'bootstrap', scope: 'admin' };
    // The map is keyed by the hash, which an attacker cannot steer; the final compare is constant time anyway.
    const token = this.registry?.tokenByHash(hash.toString('hex'));
    if (token === undefined || !timingSafeEqual(hash, Buffer.from(token.hash, 'hex'))) {
      throw new GerbangError('UNAUTHORIZED', 'unknown token');
    }
    if (token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now) {
      throw new GerbangError('UNAUTHORIZED', 'token expired');
    }
    const scope = token.scope as Principal['scope'];
    if (scope !== 'admin' && this.registry?.agency(scope.slice('agency:'.length)) === undefined) {
      // The agency was removed: its tokens die with it.
      throw new GerbangError('UNAUTHORIZED', 'unknown token');
    }
    return { tokenId: token.id, scope };
  }
}

/** The agency a principal acts for, or undefined for an admin. */
export function agencyOf(principal: Principal): string | undefined {
  return principal.scope === 'admin' ? undefined : principal.scope.slice('agency:'.length);
}

export function requireAdmin(principal: Principal): void {
  if (principal.scope !== 'admin') throw new GerbangError('FORBIDDEN', 'this needs an admin token');
}
