/** A stored certificate (namespace `certs`, keyed by host): PEM chain, private key, source and the facts the API lists. */
import { Type } from '@sinclair/typebox';
import { compileValidator } from '../../model/validate.js';

export type CertSource = 'acme' | 'uploaded';

export const CertRecordSchema = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 253 }),
  source: Type.Union([Type.Literal('acme'), Type.Literal('uploaded')]),
  /** PEM chain, leaf first. */
  certificate: Type.String({ minLength: 1 }),
  key: Type.String({ minLength: 1 }),
  names: Type.Array(Type.String()),
  issuer: Type.String(),
  serial: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  updatedAt: Type.String(),
  /** Fence of the ACME lock under which it was written: an older holder never overwrites a newer one's work. */
  fence: Type.Optional(Type.Integer()),
});

export interface CertRecord {
  host: string;
  source: CertSource;
  certificate: string;
  key: string;
  names: string[];
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  updatedAt: string;
  fence?: number | undefined;
}

const certRecord = compileValidator(CertRecordSchema);

export function encodeCert(record: CertRecord): string {
  return JSON.stringify(record);
}

/** Parses a stored value; throws if it is not a certificate record for `id`. */
export function decodeCert(id: string, raw: string): CertRecord {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error('not JSON');
  }
  const record = certRecord.parse(value, `stored certificate ${id}`);
  if (record.host !== id) throw new Error(`names host "${record.host}" under key "${id}"`);
  return record;
}

/** The record without its private key: what the admin API and logs may show. */
export interface CertView {
  host: string;
  source: CertSource;
  names: string[];
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  updatedAt: string;
}

export function viewOf(record: CertRecord): CertView {
  return {
    host: record.host,
    source: record.source,
    names: record.names,
    issuer: record.issuer,
    serial: record.serial,
    notBefore: record.notBefore,
    notAfter: record.notAfter,
    updatedAt: record.updatedAt,
  };
}
