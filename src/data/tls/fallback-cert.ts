/** The fallback certificate for unknown or missing SNI: self-signed RSA, made at first start, kept in the state dir (0600). */
import { createPrivateKey, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { DEFAULT_FALLBACK_CERT_DAYS } from '../../config/defaults.js';

export const FALLBACK_CERT_FILE = 'fallback-cert.pem';
export const FALLBACK_KEY_FILE = 'fallback-key.pem';
const FALLBACK_NAME = 'gerbang.invalid';

/**
 * RSA on purpose. Node's SNICallback does not switch the handshake's context: it adds the chosen certificate to
 * the slot of its key type, and the default context's certificate keeps the other slot. With an ECDSA fallback an
 * uploaded RSA certificate lost to it (the server prefers ECDSA); an RSA fallback is replaced by an uploaded RSA
 * certificate and loses to an uploaded or ACME ECDSA one, so every chosen certificate is the one served.
 */
const RSA_2048 = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
} as const;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface PemPair {
  certificate: string;
  key: string;
}

/** A self-signed RSA certificate for `names` (first one is the subject CN). */
export async function createSelfSigned(names: readonly string[], days: number): Promise<PemPair> {
  const keys = (await webcrypto.subtle.generateKey(RSA_2048, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto
      .getRandomValues(new Uint8Array(8))
      .reduce((s, b) => s + b.toString(16).padStart(2, '0'), '7f'),
    name: `CN=${names[0] ?? FALLBACK_NAME}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + days * 86_400_000),
    keys,
    signingAlgorithm: RSA_2048,
    extensions: [
      new x509.BasicConstraintsExtension(false),
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certificate: cert.toString('pem'), key: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}

/** Reads the kept pair, or makes and keeps one (write-then-rename, mode 0600) when none (or an ECDSA one) is there. */
export async function loadOrCreateFallbackCert(stateDir: string): Promise<PemPair> {
  const certFile = join(stateDir, FALLBACK_CERT_FILE);
  const keyFile = join(stateDir, FALLBACK_KEY_FILE);
  try {
    const kept = { certificate: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
    // A state dir from before the fallback was RSA keeps an ECDSA pair that hides uploaded RSA certificates.
    if (createPrivateKey(kept.key).asymmetricKeyType === 'rsa') return kept;
  } catch {
    // First start (or a half-written pair): make a new one.
  }
  const pair = await createSelfSigned([FALLBACK_NAME], DEFAULT_FALLBACK_CERT_DAYS);
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  for (const [file, body] of [
    [keyFile, pair.key],
    [certFile, pair.certificate],
  ] as const) {
    await writeFile(`${file}.tmp`, body, { mode: 0o600 });
    await chmod(`${file}.tmp`, 0o600);
    await rename(`${file}.tmp`, file);
  }
  return pair;
}
