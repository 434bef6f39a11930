import t from 'tap';
import { matchRecoveryCode, newRecoveryCodes } from '../../src/control/users/recovery-codes.js';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri } from '../../src/control/users/totp.js';

// RFC 6238 Appendix B, SHA-1 rows: the seed is the ASCII string "12345678901234567890", 8 digits, 30 s steps.
const SEED = Buffer.from('12345678901234567890');
const VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

t.test('codes match the RFC 6238 test vectors', async (t) => {
  for (const [seconds, code] of VECTORS)
    t.equal(hotp(SEED, Math.floor(seconds / 30), 8), code, `T=${seconds}`);
});

t.test('base32 follows RFC 4648 and reads what people type', async (t) => {
  t.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
  t.equal(base32Decode('mzxw 6ytb oi======')?.toString(), 'foobar', 'lower case, spaces and padding');
  t.equal(base32Decode('MZXW1'), undefined, 'a character outside the alphabet');
});

t.test('a code is taken one step either side of now, never twice, never malformed', async (t) => {
  const secret = base32Encode(SEED);
  const now = 1111111111_000;
  const step = Math.floor(now / 30_000);
  const code = hotp(SEED, step);
  t.equal(matchTotp(secret, code, now), step, 'the current step');
  t.equal(matchTotp(secret, hotp(SEED, step - 1), now), step - 1, 'the previous step (a slow phone clock)');
  t.equal(matchTotp(secret, hotp(SEED, step + 1), now), step + 1, 'the next step');
  t.equal(matchTotp(secret, hotp(SEED, step - 2), now), undefined, 'two steps off: refused');
  t.equal(matchTotp(secret, code, now, step), undefined, 'a code already used: refused (no replay)');
  t.equal(matchTotp(secret, '12345', now), undefined, 'five digits');
  t.equal(matchTotp(secret, `${code}0`, now), undefined, 'seven digits');
});

t.test('the otpauth URI names the issuer and the account', async (t) => {
  const uri = new URL(otpauthUri('budi', 'MZXW6YTBOI'));
  t.equal(uri.protocol, 'otpauth:');
  t.equal(uri.host, 'totp');
  t.equal(decodeURIComponent(uri.pathname), '/Gerbang:budi');
  t.equal(uri.searchParams.get('secret'), 'MZXW6YTBOI');
  t.equal(uri.searchParams.get('issuer'), 'Gerbang');
});

t.test('recovery codes are kept as digests and each matches once', async (t) => {
  const { codes, digests } = newRecoveryCodes(10);
  t.equal(new Set(codes).size, 10, 'ten different codes');
  t.notOk(
    digests.some((d, i) => d.includes(codes[i] ?? '?')),
    'digests do not contain the codes',
  );
  const first = codes[0] ?? '';
  t.equal(matchRecoveryCode(digests, first), 0);
  t.equal(matchRecoveryCode(digests, first.toUpperCase().replace('-', '')), 0, 'typed without the dash');
  t.equal(matchRecoveryCode(digests.slice(1), first), -1, 'gone once used');
  t.equal(matchRecoveryCode(digests, 'not-a-code'), -1);
});
