/** Single-use recovery codes of a TOTP enrolment: shown once, kept as SHA-256 digests (50 random bits each need no slow hash). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOTP_RECOVERY_CODES } from '../../config/defaults.js';
import { base32Encode } from './totp.js';

export function digestOf(code: string): string {
  return createHash('sha256').update(normalise(code)).digest('hex');
}

/** People type codes with or without the dash, in either case. */
function normalise(code: string): string {
  return code.replace(/[\s-]/g, '').toLowerCase();
}

/** New codes as `xxxxx-xxxxx` (base32, lower case) and the digests to store. */
export function newRecoveryCodes(count: number = TOTP_RECOVERY_CODES): {
  codes: string[];
  digests: string[];
} {
  const codes: string[] = [];
  for (let i = 0; i < count; i++) {
    const raw = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
    codes.push(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return { codes, digests: codes.map(digestOf) };
}

/** The index of the stored digest `code` matches, or -1; every digest is compared. */
export function matchRecoveryCode(digests: readonly string[], code: string): number {
  if (!/^[a-z2-7]{10}$/.test(normalise(code))) return -1;
  const wanted = Buffer.from(digestOf(code), 'hex');
  let found = -1;
  digests.forEach((digest, index) => {
    const stored = Buffer.from(digest, 'hex');
    if (stored.length === wanted.length && timingSafeEqual(stored, wanted) && found < 0) found = index;
  });
  return found;
}
