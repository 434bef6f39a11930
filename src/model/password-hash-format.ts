/** Which stored password hashes basic authentication accepts, with bounded costs: a hostile hash must not cost the edge more than an honest one. */

/** scrypt$N$r$p$salt$key as src/control/users/password.ts writes it. */
const SCRYPT = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$[A-Za-z0-9_-]{16,128}\$[A-Za-z0-9_-]{32,128}$/;
/** bcrypt as htpasswd -B and PHP write it: $2a$, $2b$ or $2y$, two-digit cost, 22 salt and 31 hash characters. */
const BCRYPT = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

const MAX_SCRYPT_N = 1 << 17;
const MAX_SCRYPT_R = 16;
const MAX_SCRYPT_P = 4;
const MIN_BCRYPT_COST = 4;
const MAX_BCRYPT_COST = 12;

export type HashKind = 'scrypt' | 'bcrypt';

/** The kind of a stored hash, or a sentence saying why it is refused. */
export function hashKindOf(hash: string): HashKind | string {
  const scrypt = SCRYPT.exec(hash);
  if (scrypt !== null) {
    const n = Number(scrypt[1]);
    const r = Number(scrypt[2]);
    const p = Number(scrypt[3]);
    if (n < 2 || (n & (n - 1)) !== 0 || n > MAX_SCRYPT_N)
      return `scrypt N must be a power of 2 up to ${MAX_SCRYPT_N}`;
    if (r < 1 || r > MAX_SCRYPT_R || p < 1 || p > MAX_SCRYPT_P)
      return `scrypt r must be 1-${MAX_SCRYPT_R} and p 1-${MAX_SCRYPT_P}`;
    return 'scrypt';
  }
  const bcrypt = BCRYPT.exec(hash);
  if (bcrypt !== null) {
    const cost = Number(bcrypt[1]);
    if (cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST)
      return `bcrypt cost must be ${MIN_BCRYPT_COST}-${MAX_BCRYPT_COST}`;
    return 'bcrypt';
  }
  if (hash.startsWith('$apr1$')) return 'APR1-MD5 hashes are refused (weak): re-hash with `htpasswd -B`';
  if (hash.startsWith('{SHA}')) return 'SHA1 hashes are refused (unsalted): re-hash with `htpasswd -B`';
  return 'not a scrypt or bcrypt hash ($2a$, $2b$, $2y$); crypt, MD5 and SHA1 are refused';
}
