/** Checks a password against a stored scrypt or bcrypt hash without blocking the event loop: scrypt runs on the thread pool, bcryptjs yields between rounds. */
import { scrypt, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

function scryptMatches(password: string, hash: string): Promise<boolean> {
  const [, n, r, p, salt, key] = hash.split('$');
  const expected = Buffer.from(key ?? '', 'base64url');
  const N = Number(n);
  const R = Number(r);
  return new Promise((resolve) =>
    scrypt(
      password.normalize('NFC'),
      Buffer.from(salt ?? '', 'base64url'),
      expected.length,
      { N, r: R, p: Number(p), maxmem: 256 * N * R },
      (err, actual) => resolve(err === null && timingSafeEqual(actual, expected)),
    ),
  );
}

/** True when `password` matches; a hash of another kind or a failing derivation is false, never a throw. */
export async function passwordMatches(password: string, hash: string): Promise<boolean> {
  if (hash.startsWith('scrypt$')) return scryptMatches(password, hash);
  if (hash.startsWith('$2')) {
    try {
      // bcryptjs compares the derived strings in constant time itself.
      return await bcrypt.compare(password, hash);
    } catch {
      return false;
    }
  }
  return false;
}
