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

/** POST /v1/users/{id}/password (an admin resets it) */
export const PasswordResetSchema = Type.Object({ password: PasswordSchema }, { additionalProperties: false });

/** POST /v1/users/me/password: the current password is the credential. */
export const OwnPasswordSchema = Type.Object(
  {
    login: LoginSchema,
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    newPassword: PasswordSchema,
  },
  { additionalProperties: false },
);

/** A user as the API shows it: never the hash. */
export const UserViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  login: Type.String(),
  role: UserRoleSchema,
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const StoredUserSchema = Type.Composite([
  UserViewSchema,
  Type.Object({ passwordHash: Type.String({ pattern: '^scrypt\\$' }) }),
]);

export type UserBody = Static<typeof UserBodySchema>;
export type UserView = Static<typeof UserViewSchema>;
export type StoredUser = Static<typeof StoredUserSchema>;
export type UserRole = 'admin' | `agency:${string}`;
