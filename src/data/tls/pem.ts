/** PEM and X.509 helpers on node:crypto: split chains, read names and dates, check that a certificate covers a host. */
import { X509Certificate } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The CERTIFICATE blocks of a PEM text, in order (leaf first). */
export function splitPemCertificates(pem: string): string[] {
  return pem.match(PEM_BLOCK) ?? [];
}

/** DNS names of a certificate's subjectAltName, lowercased. */
export function dnsNamesOf(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (!san) return [];
  return san
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4).toLowerCase());
}

/**
 * True when one of `names` is valid for `host` under RFC 6125: equal, or a `*.suffix` wildcard covering
 * exactly one label. A wildcard host (`*.x`) needs the wildcard name itself.
 */
export function namesCover(names: readonly string[], host: string): boolean {
  if (names.includes(host)) return true;
  if (host.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && names.includes(`*${host.slice(dot)}`);
}

export interface CertificateFacts {
  names: string[];
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  serial: string;
}

/** What the admin API and the scheduler need to know of a leaf certificate. */
export function factsOf(leafPem: string): CertificateFacts {
  const cert = new X509Certificate(leafPem);
  return {
    names: dnsNamesOf(cert),
    issuer: cert.issuer.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    serial: cert.serialNumber,
  };
}
