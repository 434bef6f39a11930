/** Konsol accounts: typebox schemas are the single source of their types, validation and OpenAPI. */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../config/defaults.js';
import '../../model/formats.js';
import { TokenScopeSchema } from '../../model/agency-schema.js';

export const LOGIN_PATTERN = '^[a-z0-9][a-z0-9._-]{1,63}$';

export const LoginSchema = Type.String({
  minLength: 2,
  maxLength: 64,
  pattern: LOGIN_PATTERN,
  description: 'lowercase letters, digits, . _ -',
});

export const PasswordSchema = Type.String({
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
  description: `at least ${MIN_PASSWORD_LENGTH} characters`,
});

export const UserRoleSchema = Type.String({
  ...TokenScopeSchema,
  description: '`admin` or `agency:<id>` (a member of that agency, which must exist)',
});

/** POST /v1/users */
export const UserBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'full name' }),
    login: LoginSchema,
    role: UserRoleSchema,
    password: PasswordSchema,
  },
  { additionalProperties: false },
);

/** A user as an export carries it and an import takes it: the profile, never a secret (`totp` is informative). */
export const TransferredUserSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^usr_[0-9a-f]{16}$' })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    login: LoginSchema,
    role: UserRoleSchema,
    totp: Type.Optional(Type.Boolean()),
    createdAt: Type.Optional(Type.String({ maxLength: 40 })),
    updatedAt: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: false },
);

/** POST /v1/users/{id}/password (an admin resets it) */
export const PasswordResetSchema = Type.Object({ password: PasswordSchema }, { additionalProperties: false });

/** POST /v1/users/me/password: the current password is the credential. */
export const OwnPasswordSchema = Type.Object(
  {
    login: LoginSchema,
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    newPassword: PasswordSchema,
    code: Type.Optional(
      Type.String({
        maxLength: 16,
        description: 'TOTP or recovery code, required when a second factor is enrolled',
      }),
    ),
  },
  { additionalProperties: false },
);

/** What every view of a user shows. */
const UserFieldsSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  login: Type.String(),
  role: UserRoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** A user as the API shows it: never the hash, the TOTP secret or the recovery codes. */
export const UserViewSchema = Type.Composite([
  UserFieldsSchema,
  Type.Object({ totp: Type.Boolean({ description: 'a TOTP second factor is enrolled' }) }),
]);

const Base32Secret = Type.String({ pattern: '^[A-Z2-7]{16,128}$' });

/** An enrolled second factor: the shared secret, the last time step used (no replay), unused recovery codes. */
export const StoredTotpSchema = Type.Object({
  secret: Base32Secret,
  enabledAt: Type.String({ format: 'date-time' }),
  lastStep: Type.Integer({ minimum: -1 }),
  recovery: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), { maxItems: 64 }),
});

export const StoredUserSchema = Type.Composite([
  UserFieldsSchema,
  Type.Object({
    passwordHash: Type.String({ pattern: '^scrypt\\$' }),
    totp: Type.Optional(StoredTotpSchema),
    /** Shown as a QR code, not yet confirmed with a first code. */
    totpPending: Type.Optional(
      Type.Object({ secret: Base32Secret, createdAt: Type.Integer({ minimum: 0 }) }),
    ),
  }),
]);

/** POST /v1/users/me/totp/confirm and the Konsol form: a code from the app proves it was set up. */
export const TotpCodeSchema = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 16, description: 'the 6-digit code the app shows' }) },
  { additionalProperties: false },
);

export type UserBody = Static<typeof UserBodySchema>;
export type UserView = Static<typeof UserViewSchema>;
export type TransferredUser = Static<typeof TransferredUserSchema>;
export type StoredUser = Static<typeof StoredUserSchema>;
export type UserRole = 'admin' | `agency:${string}`;
