/** Agencies (SKPD) and admin API tokens: typebox schemas are the single source of their types, validation and OpenAPI. */
import { type Static, Type } from '@sinclair/typebox';
import './formats.js';
import {
  DEFAULT_AGENCY_QUOTA_HOSTS,
  DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST,
  MAX_AGENCY_OWNS,
  MAX_AGENCY_QUOTA_HOSTS,
  MAX_ROUTES_PER_HOST,
} from '../config/defaults.js';

export const AGENCY_ID_PATTERN = '^[a-z0-9][a-z0-9-]{0,63}$';

export const AgencyIdSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: AGENCY_ID_PATTERN,
  description: 'short lowercase id, e.g. dinkes',
});

/** Limits on what the agency's own tokens may register; set by admins on the agency document. */
export const AgencyQuotaSchema = Type.Object(
  {
    hosts: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_AGENCY_QUOTA_HOSTS,
        description: `hosts the agency may hold (default ${DEFAULT_AGENCY_QUOTA_HOSTS})`,
      }),
    ),
    routesPerHost: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_ROUTES_PER_HOST,
        description: `routes per host (default ${DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST})`,
      }),
    ),
  },
  { additionalProperties: false },
);

/** PUT /v1/agencies/{id} */
export const AgencyBodySchema = Type.Object(
  {
    id: Type.Optional(AgencyIdSchema),
    name: Type.String({ minLength: 1, maxLength: 200, description: 'full name of the agency' }),
    contact: Type.String({ minLength: 1, maxLength: 200, description: 'who to call: e-mail or phone' }),
    owns: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
      maxItems: MAX_AGENCY_OWNS,
      description: 'host names the agency may register, with every subdomain of each',
    }),
    quota: Type.Optional(AgencyQuotaSchema),
  },
  { additionalProperties: false },
);

export const AgencySchema = Type.Object({
  id: AgencyIdSchema,
  name: Type.String(),
  contact: Type.String(),
  owns: Type.Array(Type.String()),
  quota: Type.Optional(AgencyQuotaSchema),
  updatedAt: Type.String({ format: 'date-time' }),
});

export type AgencyBody = Static<typeof AgencyBodySchema>;
export type AgencyDoc = Static<typeof AgencySchema>;
export type AgencyQuota = Required<Static<typeof AgencyQuotaSchema>>;

/** The quota in force: the document's values, each missing one at its default. */
export function quotaOf(agency: AgencyDoc | undefined): AgencyQuota {
  return {
    hosts: agency?.quota?.hosts ?? DEFAULT_AGENCY_QUOTA_HOSTS,
    routesPerHost: agency?.quota?.routesPerHost ?? DEFAULT_AGENCY_QUOTA_ROUTES_PER_HOST,
  };
}

export const TokenScopeSchema = Type.String({
  pattern: `^(admin|agency:[a-z0-9][a-z0-9-]{0,63})$`,
  description: '`admin` or `agency:<id>`',
});

/** POST /v1/tokens */
export const TokenBodySchema = Type.Object(
  {
    scope: TokenScopeSchema,
    note: Type.String({ minLength: 1, maxLength: 200, description: 'who holds it and why' }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** A token as the API shows it: never the secret, never the hash. */
export const TokenViewSchema = Type.Object({
  id: Type.String(),
  scope: TokenScopeSchema,
  note: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.String(),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
});

/** The stored token: the view plus the SHA-256 of the secret (hex). */
export const StoredTokenSchema = Type.Composite([
  TokenViewSchema,
  Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
]);

/** The one answer that carries the secret. */
export const CreatedTokenSchema = Type.Composite([
  TokenViewSchema,
  Type.Object({ secret: Type.String({ description: 'shown once; only its hash is kept' }) }),
]);

export type TokenBody = Static<typeof TokenBodySchema>;
export type TokenView = Static<typeof TokenViewSchema>;
export type StoredToken = Static<typeof StoredTokenSchema>;
export type CreatedToken = Static<typeof CreatedTokenSchema>;
