/** Turns what an API client sends for `access.basicAuth` into what is stored: hashes only (scrypt for passwords, bcrypt kept from htpasswd). */

import { MAX_BASIC_AUTH_USERS } from '../config/defaults.js';
import { GerbangError } from '../errors.js';
import type { BasicAuth, BasicAuthUser } from '../model/basic-auth-schema.js';
import type { HostDoc } from '../model/host-schema.js';
import { hashKindOf } from '../model/password-hash-format.js';
import { hashPassword } from './users/password.js';

/** `name:hash` lines; blank lines and `#` comments skipped; every refused line named by its number. */
export function parseHtpasswd(text: string, field: string): BasicAuthUser[] {
  const users: BasicAuthUser[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new GerbangError('VALIDATION_FAILED', `${field}: line ${i + 1} is not name:hash`);
    const name = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    const kind = hashKindOf(hash);
    if (kind !== 'bcrypt' && kind !== 'scrypt')
      throw new GerbangError('VALIDATION_FAILED', `${field}: line ${i + 1} (${name}): ${kind}`);
    users.push({ name, hash });
  }
  return users;
}

/** Synchronous part: htpasswd read into users, hashes checked, each user with exactly one of password and hash. */
function normalizeSpec(spec: BasicAuth, field: string): BasicAuth {
  const { htpasswd, users: given, ...rest } = spec;
  const users = [
    ...(given ?? []),
    ...(htpasswd === undefined ? [] : parseHtpasswd(htpasswd, `${field}/htpasswd`)),
  ];
  if (users.length > MAX_BASIC_AUTH_USERS)
    throw new GerbangError('VALIDATION_FAILED', `${field}/users: at most ${MAX_BASIC_AUTH_USERS} users`);
  const names = new Set<string>();
  for (const [i, user] of users.entries()) {
    if (names.has(user.name))
      throw new GerbangError('VALIDATION_FAILED', `${field}/users/${i}/name: ${user.name} is listed twice`);
    names.add(user.name);
    if ((user.password === undefined) === (user.hash === undefined))
      throw new GerbangError('VALIDATION_FAILED', `${field}/users/${i}: give a password or a hash, not both`);
    if (user.hash !== undefined) {
      const kind = hashKindOf(user.hash);
      if (kind !== 'scrypt' && kind !== 'bcrypt')
        throw new GerbangError('VALIDATION_FAILED', `${field}/users/${i}/hash: ${kind}`);
    }
  }
  if (spec.enabled !== false && users.length === 0)
    throw new GerbangError('VALIDATION_FAILED', `${field}/users: name at least one user (or enabled: false)`);
  return { ...rest, users };
}

/** Every basicAuth of a document (host and routes) normalised in place of the sent one. */
export function normalizeBasicAuth(doc: HostDoc): void {
  if (doc.access?.basicAuth !== undefined)
    doc.access = { ...doc.access, basicAuth: normalizeSpec(doc.access.basicAuth, '/access/basicAuth') };
  doc.routes = doc.routes.map((route, i) =>
    route.access?.basicAuth === undefined
      ? route
      : {
          ...route,
          access: {
            ...route.access,
            basicAuth: normalizeSpec(route.access.basicAuth, `/routes/${i}/access/basicAuth`),
          },
        },
  );
}

async function hashed(spec: BasicAuth): Promise<BasicAuth> {
  const users = await Promise.all(
    (spec.users ?? []).map(async (user) =>
      user.password === undefined ? user : { name: user.name, hash: await hashPassword(user.password) },
    ),
  );
  return { ...spec, users };
}

/** Passwords replaced by their scrypt hashes before the document is stored, audited or published. */
export async function hashBasicAuthPasswords(doc: HostDoc): Promise<void> {
  if (doc.access?.basicAuth !== undefined)
    doc.access = { ...doc.access, basicAuth: await hashed(doc.access.basicAuth) };
  doc.routes = await Promise.all(
    doc.routes.map(async (route) =>
      route.access?.basicAuth === undefined
        ? route
        : { ...route, access: { ...route.access, basicAuth: await hashed(route.access.basicAuth) } },
    ),
  );
}
