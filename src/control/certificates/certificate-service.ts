/** What the admin API does with certificates: list (with ACME state), upload, renew. */
import { GerbangError, isGerbangError } from '../../errors.js';
import { normalizeRegisteredHost } from '../../model/host-name.js';
import type { Store } from '../../store/store.js';
import type { AcmeManager } from '../acme/acme-manager.js';
import { readAllStatuses } from '../acme/acme-status.js';
import type { Actor, AuditLog } from '../audit-log.js';
import type { CertMirror } from './cert-mirror.js';
import { type CertSource, encodeCert, viewOf } from './cert-record.js';
import { validateUpload } from './upload.js';

export interface CertificateListing {
  host: string;
  /** `null` while a host has no certificate yet (ACME pending or failing). */
  source: CertSource | null;
  names: string[];
  issuer: string | null;
  serial: string | null;
  notBefore: string | null;
  notAfter: string | null;
  updatedAt: string | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: string | null;
}

export interface CertificateServiceOptions {
  store: Store;
  certs: CertMirror;
  acme: AcmeManager | undefined;
  zones: readonly string[];
  isRegistered: (host: string) => boolean;
  /** Uploads and renewals are audited (never the key); absent = not audited. */
  audit?: { log: AuditLog; ownerOf: (host: string) => string | undefined } | undefined;
}

export class CertificateService {
  constructor(private readonly options: CertificateServiceOptions) {}

  normalize(name: string): string {
    try {
      return normalizeRegisteredHost(name, this.options.zones);
    } catch (err) {
      // A registered alias may lie outside the zones (an agency's old domain): it takes a certificate too.
      const outside = name.trim().toLowerCase().replace(/\.$/, '');
      if (isGerbangError(err) && err.code === 'HOST_OUTSIDE_ZONE' && this.options.isRegistered(outside))
        return outside;
      throw err;
    }
  }

  async list(): Promise<CertificateListing[]> {
    const statuses = await readAllStatuses(this.options.store);
    const out = new Map<string, CertificateListing>();
    for (const record of this.options.certs.list()) {
      const view = viewOf(record);
      out.set(record.host, { ...view, lastError: null, failures: 0, nextAttemptAt: null });
    }
    for (const [host, status] of statuses) {
      const base: CertificateListing = out.get(host) ?? {
        host,
        source: null,
        names: [],
        issuer: null,
        serial: null,
        notBefore: null,
        notAfter: null,
        updatedAt: null,
        lastError: null,
        failures: 0,
        nextAttemptAt: null,
      };
      out.set(host, {
        ...base,
        lastError: status.lastError,
        failures: status.failures,
        nextAttemptAt: status.nextAttemptAt,
      });
    }
    return [...out.values()].sort((a, b) => (a.host < b.host ? -1 : 1));
  }

  /** Validates and stores an uploaded pair; it is served at once here and within moments everywhere. */
  async upload(
    host: string,
    body: unknown,
    actor?: Actor,
  ): Promise<{ view: CertificateListing; created: boolean }> {
    const record = validateUpload(host, body);
    const previous = this.options.certs.get(host);
    const created = previous === undefined;
    await this.options.store.put('certs', host, encodeCert(record));
    this.options.certs.applyLocal(record);
    const { audit } = this.options;
    if (audit && actor) {
      await audit.log.append(actor, {
        action: 'certificate.put',
        target: host,
        owners: [audit.ownerOf(host)],
        // The views: names, issuer, serial and dates, never the private key.
        before: previous ? viewOf(previous) : null,
        after: viewOf(record),
      });
    }
    return {
      view: { ...viewOf(record), lastError: null, failures: 0, nextAttemptAt: null },
      created,
    };
  }

  /** Starts an ACME order now; the caller follows it through GET /v1/certificates. */
  async renew(host: string, actor?: Actor): Promise<void> {
    const { acme } = this.options;
    if (!acme) throw new GerbangError('ACME_DISABLED', 'ACME is off: set GERBANG_ACME_DIRECTORY');
    if (!this.options.isRegistered(host))
      throw new GerbangError('HOST_NOT_FOUND', `host ${host} is not registered`);
    if (host.startsWith('*.') && !acme.hasDnsHook) {
      throw new GerbangError('DNS_HOOK_MISSING', `${host} needs DNS-01: set GERBANG_ACME_DNS_HOOK`);
    }
    acme.renew(host);
    const { audit } = this.options;
    if (audit && actor) {
      await audit.log.append(actor, {
        action: 'certificate.renew',
        target: host,
        owners: [audit.ownerOf(host)],
        before: null,
        after: null,
      });
    }
  }
}
