/** Admin API routes of Konsol accounts (/v1/users); schemas double as the OpenAPI description. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { GerbangError } from '../../errors.js';
import type { LoginThrottle } from '../konsol/login-throttle.js';
import type { DocumentedSchema } from '../openapi.js';
import { actorOf, adminOnly } from '../registry-routes.js';
import { OwnPasswordSchema, PasswordResetSchema, UserBodySchema, UserViewSchema } from './user-schema.js';
import type { UserService } from './user-service.js';

/** Answered before the bearer check: the current password is this route's credential. */
export const OWN_PASSWORD_PATH = '/v1/users/me/password';

const UserParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^usr_[0-9a-f]+$' }),
});
const NoContent = Type.Null({ description: 'done' });

const schemas = {
  list: {
    summary: 'List Konsol users (never their password hashes)',
    tags: ['users'],
    access: 'admin',
    response: { 200: Type.Object({ users: Type.Array(UserViewSchema) }) },
  },
  create: {
    summary: 'Create a Konsol user',
    description:
      'Role `admin` or `agency:<id>` of an existing agency. Only a scrypt hash of the password is kept.',
    tags: ['users'],
    access: 'admin',
    body: UserBodySchema,
    response: { 201: UserViewSchema },
  },
  reset: {
    summary: "Reset a user's password",
    description: 'Ends every session of the user. Admin only.',
    tags: ['users'],
    access: 'admin',
    params: UserParams,
    body: PasswordResetSchema,
    response: { 200: UserViewSchema },
  },
  delete: {
    summary: 'Remove a user',
    description: 'Ends every session of the user on every instance. Admin only.',
    tags: ['users'],
    access: 'admin',
    params: UserParams,
    response: { 204: NoContent },
  },
  removeTotp: {
    summary: "Remove a user's second factor (TOTP)",
    description:
      'For a user who lost their authenticator: they sign in with the password alone and may enrol again. Admin only.',
    tags: ['users'],
    access: 'admin',
    params: UserParams,
    response: { 200: UserViewSchema },
  },
  own: {
    summary: 'Change your own password',
    description:
      'No token: the login and current password (and `code`, when a second factor is enrolled) are the ' +
      'credential (failures slowed like Konsol logins). ' +
      'Ends every session of the user.',
    tags: ['users'],
    access: 'public',
    body: OwnPasswordSchema,
    response: { 200: UserViewSchema },
  },
} satisfies Record<string, DocumentedSchema>;

export function registerUserRoutes(app: FastifyInstance, users: UserService, throttle: LoginThrottle): void {
  app.get('/v1/users', { schema: schemas.list, onRequest: adminOnly }, async (request) => ({
    users: await users.list(actorOf(request)),
  }));
  app.post('/v1/users', { schema: schemas.create, onRequest: adminOnly }, async (request, reply) =>
    reply.code(201).send(await users.create(request.body, actorOf(request))),
  );
  app.post<{ Params: { id: string } }>(
    '/v1/users/:id/password',
    { schema: schemas.reset, onRequest: adminOnly },
    async (request) => users.resetPassword(request.params.id, request.body, actorOf(request)),
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/users/:id',
    { schema: schemas.delete, onRequest: adminOnly },
    async (request, reply) => {
      await users.delete(request.params.id, actorOf(request));
      return reply.code(204).send();
    },
  );
  app.delete<{ Params: { id: string } }>(
    '/v1/users/:id/totp',
    { schema: schemas.removeTotp, onRequest: adminOnly },
    async (request) => users.removeTotp(request.params.id, actorOf(request)),
  );
  app.post<{ Body: { login: string } }>(
    OWN_PASSWORD_PATH,
    { schema: schemas.own },
    async (request, reply) => {
      const login = request.body.login;
      const wait = throttle.waitMs(login, request.ip);
      if (wait > 0) return tooMany(reply, wait);
      try {
        const view = await users.changeOwnPassword(request.body, request.ip);
        throttle.succeed(login, request.ip);
        return view;
      } catch (err) {
        if (err instanceof GerbangError && err.code === 'UNAUTHORIZED') {
          const delay = throttle.fail(login, request.ip);
          if (delay > 0) return tooMany(reply, delay);
        }
        throw err;
      }
    },
  );
}

function tooMany(reply: FastifyReply, waitMs: number) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send(new GerbangError('TOO_MANY_REQUESTS', `too many failed logins; retry in ${seconds} s`).toBody());
}
