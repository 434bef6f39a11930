/** `access.basicAuth` of a host or route: users whose passwords Gerbang stores only as hashes (scrypt, or bcrypt from htpasswd). */
import { type Static, Type } from '@sinclair/typebox';
import { MAX_BASIC_AUTH_USERS, MAX_HTPASSWD_BYTES, MAX_PASSWORD_LENGTH } from '../config/defaults.js';

/** RFC 7617: the user-id may not hold a colon; control characters are refused too. */
const UserName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[^:\\x00-\\x1f\\x7f]+$' });

/** What is sent: a password (hashed on write, never stored) or a hash (export, import, PATCH round trips). */
export const BasicAuthUserSchema = Type.Object(
  {
    name: UserName,
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: MAX_PASSWORD_LENGTH,
        description: 'hashed with scrypt on write',
      }),
    ),
    hash: Type.Optional(
      Type.String({
        minLength: 20,
        maxLength: 512,
        description: 'scrypt$... or a bcrypt hash ($2a$, $2b$, $2y$)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const BasicAuthSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'false on a route turns the host’s off there' })),
    realm: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, pattern: '^[^"\\\\\\x00-\\x1f\\x7f]+$' }),
    ),
    users: Type.Optional(Type.Array(BasicAuthUserSchema, { maxItems: MAX_BASIC_AUTH_USERS })),
    htpasswd: Type.Optional(
      Type.String({
        maxLength: MAX_HTPASSWD_BYTES,
        description: 'content of an htpasswd file (bcrypt lines; APR1-MD5, SHA1 and crypt lines are refused)',
      }),
    ),
    passThrough: Type.Optional(
      Type.Boolean({ description: 'send Authorization on to the backend (default: removed)' }),
    ),
  },
  { additionalProperties: false },
);

export type BasicAuth = Static<typeof BasicAuthSchema>;
export type BasicAuthUser = Static<typeof BasicAuthUserSchema>;
