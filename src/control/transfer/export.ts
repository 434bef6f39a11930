/** Builds the configuration document of what a token may see: agencies (admins), hosts, and uploaded certificates on request. */
import { GerbangError } from '../../errors.js';
import type { AgencyDoc } from '../../model/agency-schema.js';
import type { HostDoc } from '../../model/host-schema.js';
import type { StoredInventory } from '../../model/inventory-schema.js';
import type { Actor } from '../audit-log.js';
import { agencyOf } from '../auth.js';
import type { UserView } from '../users/user-schema.js';
import { TRANSFER_VERSION, type TransferCertificate } from './transfer-document.js';
import type { TransferOptions } from './transfer-options.js';

export interface ExportedDocument {
  gerbang: 'configuration';
  version: number;
  exportedAt: string;
  agencies: Array<Omit<AgencyDoc, 'updatedAt'>>;
  hosts: Array<Omit<HostDoc, 'updatedAt'> & { managedBy?: 'config' }>;
  /** The service inventory the token may see (its agency's entries, or all for an admin). */
  inventory: Array<Omit<StoredInventory, 'updatedAt'>>;
  /** Konsol users without their secrets (admins; an agency token reads none): name, login, role. */
  users: Array<Omit<UserView, 'createdAt' | 'updatedAt'>>;
  certificates?: TransferCertificate[];
}

export async function exportConfiguration(
  options: TransferOptions,
  actor: Actor,
  withCertificates: boolean,
): Promise<ExportedDocument> {
  const admin = agencyOf(actor.principal) === undefined;
  if (withCertificates && !admin) {
    throw new GerbangError('FORBIDDEN', 'certificates=true exports private keys: it needs an admin token');
  }
  const agencies = admin ? options.agencies.list().map(({ updatedAt: _u, ...doc }) => doc) : [];
  const hosts = options.hosts
    .list(actor.principal)
    .sort((a, b) => (a.host < b.host ? -1 : 1))
    .map(({ updatedAt: _u, source, ...doc }) =>
      source === 'config' ? { ...doc, managedBy: 'config' as const } : doc,
    );
  const doc: ExportedDocument = {
    gerbang: 'configuration',
    version: TRANSFER_VERSION,
    exportedAt: new Date().toISOString(),
    agencies,
    hosts,
    inventory: options.inventory?.exportEntries(actor.principal) ?? [],
    users:
      admin && options.users
        ? (await options.users.list(actor)).map(({ createdAt: _c, updatedAt: _u, ...user }) => user)
        : [],
  };
  if (withCertificates) {
    const records = (options.certificates?.records() ?? []).filter((r) => r.source === 'uploaded');
    doc.certificates = records.map((r) => ({ host: r.host, certificate: r.certificate, key: r.key }));
    // Private keys left the gateway: who took them, and which, is on record.
    await options.audit.append(actor, {
      action: 'config.export',
      target: 'certificates',
      owners: records.map((r) => options.lookup(r.host)?.doc.agency),
      before: null,
      after: { certificates: records.map((r) => r.host) },
    });
  }
  return doc;
}
