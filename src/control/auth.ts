/** Who is calling the admin API: bearer tokens compared in constant time; the bootstrap admin token comes from the environment. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { GerbangError } from '../errors.js';

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

  constructor(bootstrapToken: string | undefined) {
    this.bootstrapHash = bootstrapToken ? hashSecret(bootstrapToken) : undefined;
  }

  /** The caller, or UNAUTHORIZED. */
  authenticate(authorization: string | undefined): Principal {
    const secret = bearerOf(authorization);
    if (secret === undefined) throw new GerbangError('UNAUTHORIZED', 'missing bearer token');
    if (this.bootstrapHash && secretMatches(secret, this.bootstrapHash))
      return { tokenId: 'bootstrap', scope: 'admin' };
    throw new GerbangError('UNAUTHORIZED', 'unknown token');
  }
}

export function requireAdmin(principal: Principal): void {
  if (principal.scope !== 'admin') throw new GerbangError('FORBIDDEN', 'this needs an admin token');
}
