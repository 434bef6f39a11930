/** Konsol's user pages: create, reset the password, remove TOTP and delete, through UserService as /v1/users does. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GerbangError } from '../../errors.js';
import { confirmPage } from './admin-agency-page.js';
import { refusalOf } from './admin-fields.js';
import {
  type AdminRouteKit,
  actorOf,
  adminChanger,
  adminFrame,
  adminViewer,
  doneTo,
  formOf,
  registerAdminList,
} from './admin-kit.js';
import { USERS_PATH, type UsersPageOptions, usersPage } from './admin-user-page.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

type Params = { Params: { id: string } };

export function registerAdminUserRoutes(konsol: FastifyInstance, kit: AdminRouteKit): void {
  const path = USERS_PATH.slice('/konsol'.length);
  const { users, agencies } = kit;
  const list = async (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    extra: UsersPageOptions = {},
  ) => {
    const frame = adminFrame(kit, request, who, (w) => w.users);
    const all = await users.list(actorOf(request, who));
    return kit.html(reply, status, usersPage(frame, all, agencies.list(), extra));
  };

  registerAdminList(
    konsol,
    kit,
    { path, summary: 'Konsol admin: the users (name, login, role, TOTP)' },
    list,
  );

  konsol.post(path, page('Konsol admin: create a user (form post)'), async (request, reply) => {
    const who = await adminChanger(kit, request);
    const form = formOf(request);
    const values = { name: form.name ?? '', login: form.login ?? '', role: form.role ?? '' };
    try {
      // POST /v1/users's own call: its schema, its unique-login lock, its audit entry.
      await users.create({ ...values, password: form.password ?? '' }, actorOf(request, who));
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === undefined) throw err;
      return list(request, reply, who, refusal.status, { values, refusal });
    }
    return doneTo(kit, request, reply, USERS_PATH, 'saved');
  });

  konsol.post<Params>(
    `${path}/:id/sandi`,
    page("Konsol admin: reset a user's password (form post); their sessions end"),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      try {
        await users.resetPassword(
          request.params.id,
          { password: formOf(request).password ?? '' },
          actorOf(request, who),
        );
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal === undefined || refusal.status === 404) throw err;
        return list(request, reply, who, refusal.status, { reset: { userId: request.params.id, refusal } });
      }
      // An admin who reset their own password has just ended their own session too.
      return doneTo(kit, request, reply, USERS_PATH, 'reset');
    },
  );

  konsol.post<Params>(
    `${path}/:id/totp`,
    page("Konsol admin: remove a user's TOTP second factor (form post)"),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      await users.removeTotp(request.params.id, actorOf(request, who));
      return doneTo(kit, request, reply, USERS_PATH, 'totp-off');
    },
  );

  konsol.get<Params>(
    `${path}/:id/hapus`,
    page('Konsol admin: confirm deleting a user'),
    async (request, reply) => {
      const who = await adminViewer(kit, request);
      if (who === undefined) return kit.toLogin(request, reply);
      const user = (await users.list(actorOf(request, who))).find((u) => u.id === request.params.id);
      if (user === undefined) throw new GerbangError('NOT_FOUND', `user ${request.params.id} does not exist`);
      const frame = adminFrame(kit, request, who, (w) => w.deleteUser.replace('{login}', user.login));
      return kit.html(reply, 200, confirmPage(frame, USERS_PATH, user.id, frame.admin.deleteUserNote));
    },
  );

  konsol.post<Params>(
    `${path}/:id/hapus`,
    page('Konsol admin: delete a user (form post); their sessions end on every instance'),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      await users.delete(request.params.id, actorOf(request, who));
      return doneTo(kit, request, reply, USERS_PATH, 'deleted');
    },
  );
}
