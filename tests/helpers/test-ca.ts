/** A throw-away certificate authority for tests: a root and leaves with chosen names and dates (ECDSA P-256, @peculiar/x509). */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface PemPair {
  certificate: string;
  key: string;
}

export interface TestCa extends PemPair {
  /** Issues a leaf for DNS names (and IP addresses) signed by this root. */
  issue(
    names: string[],
    options?: { notBefore?: Date; notAfter?: Date; ips?: string[]; keyType?: LeafKeyType },
  ): Promise<PemPair>;
}

/** The leaf's key: EC P-256 by default; RSA as most bought certificates are. */
export type LeafKeyType = 'ec-p256' | 'rsa-2048' | 'rsa-4096';

function leafAlgorithm(type: LeafKeyType): webcrypto.EcKeyGenParams | webcrypto.RsaHashedKeyGenParams {
  if (type === 'ec-p256') return ALG;
  return {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: type === 'rsa-2048' ? 2048 : 4096,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  };
}

let serial = 1;
const nextSerial = (): string => (0x10000 + serial++).toString(16);

async function keyPair(type: LeafKeyType = 'ec-p256'): Promise<webcrypto.CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(leafAlgorithm(type), true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
}

async function keyPem(keys: webcrypto.CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

export async function createTestCa(name = 'Gerbang Test Root'): Promise<TestCa> {
  const caKeys = await keyPair();
  const now = Date.now();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    keys: caKeys as unknown as CryptoKeyPairLike,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as unknown as CryptoKeyLike),
    ],
  });
  return {
    certificate: root.toString('pem'),
    key: await keyPem(caKeys),
    async issue(names, options = {}) {
      const keys = await keyPair(options.keyType);
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: nextSerial(),
        subject: `CN=${names[0] ?? options.ips?.[0] ?? 'leaf'}`,
        issuer: root.subject,
        notBefore: options.notBefore ?? new Date(Date.now() - DAY),
        notAfter: options.notAfter ?? new Date(Date.now() + 10 * DAY),
        signingKey: caKeys.privateKey as unknown as CryptoKeyLike,
        publicKey: keys.publicKey as unknown as CryptoKeyLike,
        signingAlgorithm: ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          await x509.AuthorityKeyIdentifierExtension.create(root),
          new x509.SubjectAlternativeNameExtension([
            ...names.map((value) => ({ type: 'dns' as const, value })),
            ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
          ]),
        ],
      });
      return { certificate: leaf.toString('pem'), key: await keyPem(keys) };
    },
  };
}

type CryptoKeyPairLike = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
type CryptoKeyLike = Parameters<typeof x509.X509CertificateGenerator.create>[0]['publicKey'] & object;
