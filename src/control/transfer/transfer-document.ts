/** The configuration document `GET /v1/export` writes and `POST /v1/import` reads: one versioned shape for both. */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_CERTIFICATE_PEM_LENGTH, MAX_IMPORT_ENTRIES } from '../../config/defaults.js';

export const TRANSFER_VERSION = 1;

export const TransferCertificateSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253 }),
    certificate: Type.String({ minLength: 1, maxLength: MAX_CERTIFICATE_PEM_LENGTH }),
    key: Type.String({ minLength: 1, maxLength: MAX_CERTIFICATE_PEM_LENGTH, description: 'PEM private key' }),
  },
  { additionalProperties: false },
);

/**
 * Entries of `agencies` and `hosts` are checked one by one with the API's own validators (so a problem is named
 * `/hosts/3/routes/0/targets/0`), hence `unknown` here.
 */
export const TransferDocumentSchema = Type.Object(
  {
    gerbang: Type.Optional(Type.Literal('configuration')),
    version: Type.Literal(TRANSFER_VERSION),
    exportedAt: Type.Optional(Type.String({ maxLength: 40 })),
    agencies: Type.Optional(
      Type.Array(Type.Unknown(), {
        maxItems: MAX_IMPORT_ENTRIES,
        description: 'agency documents as PUT /v1/agencies/{id} takes them, with `id`',
      }),
    ),
    hosts: Type.Optional(
      Type.Array(Type.Unknown(), {
        maxItems: MAX_IMPORT_ENTRIES,
        description:
          'host documents as PUT /v1/hosts/{host} takes them, with `host`; `managedBy: config` ones are skipped',
      }),
    ),
    inventory: Type.Optional(
      Type.Union([
        Type.Array(Type.Unknown(), {
          maxItems: MAX_IMPORT_ENTRIES,
          description: 'inventory entries as PUT /v1/inventory/{id} takes them, with `id`',
        }),
        Type.Null({ description: 'older exports: no inventory' }),
      ]),
    ),
    users: Type.Optional(
      Type.Union([
        Type.Array(Type.Unknown(), {
          maxItems: MAX_IMPORT_ENTRIES,
          description:
            'Konsol users without secrets (name, login, role), admin only; a new one signs in after a password reset',
        }),
        Type.Null({ description: 'older exports: no users' }),
      ]),
    ),
    certificates: Type.Optional(
      Type.Array(TransferCertificateSchema, {
        maxItems: MAX_IMPORT_ENTRIES,
        description: 'uploaded certificates with their private keys (admin only)',
      }),
    ),
  },
  { additionalProperties: false },
);

export type TransferDocument = Static<typeof TransferDocumentSchema>;
export type TransferCertificate = Static<typeof TransferCertificateSchema>;

/** One line of the difference an import makes (or would make). */
export interface TransferChange {
  kind: 'agency' | 'host' | 'certificate' | 'inventory' | 'user';
  /** Agency id, host name, inventory id or user login. */
  name: string;
  /** The agency the change concerns (a host's owner); absent for DKISP's own hosts. */
  agency?: string | undefined;
  action: 'create' | 'change' | 'remove' | 'unchanged' | 'skipped';
  /** Top-level fields that differ (change only). */
  fields?: string[];
  /** Why an entry was skipped. */
  reason?: string;
}

export interface ImportReport {
  dryRun: boolean;
  applied: boolean;
  prune: boolean;
  changes: TransferChange[];
  summary: Record<TransferChange['action'], number>;
  /** Per agency (`-` for hosts of DKISP itself): what is created, changed, removed. */
  byAgency: Record<string, { create: number; change: number; remove: number }>;
}
