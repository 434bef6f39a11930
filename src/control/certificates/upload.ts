/** Validation of an uploaded PEM certificate + key: parses, key matches, chain links, names cover the host, valid now. */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { MAX_CERTIFICATE_PEM_LENGTH } from '../../config/defaults.js';
import { factsOf, namesCover, splitPemCertificates } from '../../data/tls/pem.js';
import { GerbangError } from '../../errors.js';
import { compileValidator } from '../../model/validate.js';
import type { CertRecord } from './cert-record.js';

export const UploadBodySchema = Type.Object(
  {
    certificate: Type.String({ minLength: 1, maxLength: MAX_CERTIFICATE_PEM_LENGTH }),
    key: Type.String({ minLength: 1, maxLength: MAX_CERTIFICATE_PEM_LENGTH }),
  },
  { additionalProperties: false },
);

const uploadBody = compileValidator(UploadBodySchema);

/** Checks an upload for `host` (already normalised) and returns the record to store; throws a CERT_* error naming the field. */
export function validateUpload(host: string, body: unknown, now: Date = new Date()): CertRecord {
  const { certificate, key } = uploadBody.parse(body, 'certificate upload');
  const blocks = splitPemCertificates(certificate);
  if (blocks.length === 0) {
    throw new GerbangError('CERT_INVALID', '/certificate: no PEM "CERTIFICATE" block found');
  }
  const chain: X509Certificate[] = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new GerbangError(
        'CERT_INVALID',
        `/certificate: block ${i} does not parse: ${(err as Error).message}`,
      );
    }
  });
  for (let i = 0; i + 1 < chain.length; i++) {
    const child = chain[i] as X509Certificate;
    const parent = chain[i + 1] as X509Certificate;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      throw new GerbangError(
        'CERT_CHAIN_INVALID',
        `/certificate: block ${i} is not signed by block ${i + 1}; send the leaf first, then its issuers in order`,
      );
    }
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    // The parser's message may quote the input: keep it out of the reply.
    throw new GerbangError('CERT_KEY_INVALID', '/key: not a PEM private key');
  }
  const leaf = chain[0] as X509Certificate;
  if (!leaf.checkPrivateKey(privateKey)) {
    throw new GerbangError('CERT_KEY_MISMATCH', '/key: does not match the certificate');
  }
  const facts = factsOf(blocks[0] as string);
  if (!namesCover(facts.names, host)) {
    throw new GerbangError(
      'CERT_NAME_MISMATCH',
      `/certificate: names ${facts.names.join(', ') || '(none)'} do not cover ${host}`,
    );
  }
  if (facts.notAfter.getTime() <= now.getTime()) {
    throw new GerbangError('CERT_EXPIRED', `/certificate: expired on ${facts.notAfter.toISOString()}`);
  }
  if (facts.notBefore.getTime() > now.getTime()) {
    throw new GerbangError(
      'CERT_NOT_YET_VALID',
      `/certificate: not valid before ${facts.notBefore.toISOString()}`,
    );
  }
  return {
    host,
    source: 'uploaded',
    certificate: blocks.join('\n'),
    key: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    names: facts.names,
    issuer: facts.issuer,
    serial: facts.serial,
    notBefore: facts.notBefore.toISOString(),
    notAfter: facts.notAfter.toISOString(),
    updatedAt: now.toISOString(),
  };
}
