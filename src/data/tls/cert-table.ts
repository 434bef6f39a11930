/** The SNI certificate table: secure contexts built once per certificate change; exact name first, then a one-label wildcard. */
import { createSecureContext, type SecureContext, type SecureContextOptions } from 'node:tls';
import { DEFAULT_TLS_CIPHERS, DEFAULT_TLS_MIN_VERSION } from '../../config/defaults.js';

/**
 * Every context shares the listener's protocol policy, so switching context on SNI never loosens it. The server's
 * order (ECDSA suites first) decides between an SNI certificate and the RSA fallback left in the other key slot
 * (see fallback-cert.ts): keep `honorCipherOrder`.
 */
export const TLS_POLICY: SecureContextOptions = {
  minVersion: DEFAULT_TLS_MIN_VERSION,
  ciphers: DEFAULT_TLS_CIPHERS,
  honorCipherOrder: true,
};

export interface CertMaterial {
  /** Registered host the certificate serves: `a.x` or `*.x`. */
  host: string;
  /** PEM chain, leaf first. */
  certificate: string;
  key: string;
}

export class CertTable {
  private constructor(
    private readonly exact: ReadonlyMap<string, SecureContext>,
    /** Keyed by the suffix after `*.`. */
    private readonly wildcards: ReadonlyMap<string, SecureContext>,
    readonly fallback: SecureContext,
  ) {}

  /** Builds every context now; a pair that does not load is reported and left out, the rest still serve. */
  static build(
    entries: Iterable<CertMaterial>,
    fallback: SecureContext,
    onError: (host: string, err: Error) => void,
  ): CertTable {
    const exact = new Map<string, SecureContext>();
    const wildcards = new Map<string, SecureContext>();
    for (const entry of entries) {
      let context: SecureContext;
      try {
        context = createSecureContext({ ...TLS_POLICY, cert: entry.certificate, key: entry.key });
      } catch (err) {
        onError(entry.host, err as Error);
        continue;
      }
      if (entry.host.startsWith('*.')) wildcards.set(entry.host.slice(2), context);
      else exact.set(entry.host, context);
    }
    return new CertTable(exact, wildcards, fallback);
  }

  static empty(fallback: SecureContext): CertTable {
    return new CertTable(new Map(), new Map(), fallback);
  }

  /** Synchronous, allocation-light: runs on every handshake. Unknown or missing names get the fallback. */
  lookup(servername: string | undefined): SecureContext {
    if (!servername) return this.fallback;
    const name = servername.toLowerCase();
    const found = this.exact.get(name);
    if (found) return found;
    const dot = name.indexOf('.');
    return (dot > 0 ? this.wildcards.get(name.slice(dot + 1)) : undefined) ?? this.fallback;
  }

  get size(): number {
    return this.exact.size + this.wildcards.size;
  }
}

/** Holds the current table; the SNI callback reads `current`, the certificate mirror swaps it. */
export class CertTableHolder {
  constructor(public current: CertTable) {}

  swap(next: CertTable): void {
    this.current = next;
  }
}
