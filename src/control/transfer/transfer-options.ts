/** What export and import need from one instance: the same services the admin API writes through. */
import type { HostDoc, HostSource } from '../../model/host-schema.js';
import type { TargetPolicy } from '../../model/target-policy.js';
import type { AgencyService } from '../agency-service.js';
import type { AuditLog } from '../audit-log.js';
import type { CertRecord } from '../certificates/cert-record.js';
import type { CertificateService } from '../certificates/certificate-service.js';
import type { HostService } from '../host-service.js';
import type { InventoryService } from '../inventory/inventory-service.js';
import type { Registry } from '../registry.js';
import type { UserService } from '../users/user-service.js';

export interface TransferOptions {
  hosts: HostService;
  agencies: AgencyService;
  registry: Registry;
  /** The mirror of every host with its provenance (config file or store). */
  lookup: (host: string) => { doc: HostDoc; source: HostSource } | undefined;
  /** Certificates: the service uploads go through, and the stored records (with keys) to export. */
  certificates?: { service: CertificateService; records: () => CertRecord[] } | undefined;
  /** The SSRF policy HostService applies: checked for every target before anything is applied. */
  policy?: TargetPolicy | undefined;
  zones: readonly string[];
  audit: AuditLog;
  /** The service inventory (exported, imported after the hosts its live entries name); absent = not carried. */
  inventory?: InventoryService | undefined;
  /** Konsol's accounts (profiles only: an export carries no secret); absent = not carried. */
  users?: UserService | undefined;
}
