/** Konsol's token pages: issue (the secret in that one answer only) and revoke, through TokenService as /v1/tokens does. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { refusalOf } from './admin-fields.js';
import {
  type AdminRouteKit,
  actorOf,
  adminChanger,
  adminFrame,
  doneTo,
  formOf,
  registerAdminList,
} from './admin-kit.js';
import { TOKENS_PATH, type TokensPageOptions, tokensPage } from './admin-token-page.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

export function registerAdminTokenRoutes(konsol: FastifyInstance, kit: AdminRouteKit): void {
  const path = TOKENS_PATH.slice('/konsol'.length);
  const { tokens, agencies } = kit;
  const list = (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    extra: TokensPageOptions = {},
  ) => {
    const frame = adminFrame(kit, request, who, (w) => w.tokens);
    const all = tokens.list(actorOf(request, who));
    return kit.html(reply, status, tokensPage(frame, all, agencies.list(), extra));
  };

  registerAdminList(
    konsol,
    kit,
    { path, summary: 'Konsol admin: the API tokens (never their secrets)' },
    list,
  );

  konsol.post(
    path,
    page('Konsol admin: issue a token (form post); the answer shows its secret, once'),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      const form = formOf(request);
      const values = {
        scope: form.scope ?? '',
        note: form.note ?? '',
        expiresAt: (form.expiresAt ?? '').trim(),
      };
      let created: Awaited<ReturnType<typeof tokens.create>>;
      try {
        created = await tokens.create(
          {
            scope: values.scope,
            note: values.note,
            ...(values.expiresAt !== '' ? { expiresAt: values.expiresAt } : {}),
          },
          actorOf(request, who),
        );
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal === undefined) throw err;
        return list(request, reply, who, refusal.status, { values, refusal });
      }
      // Answered here, not redirected: a redirect would need the secret in its URL or kept somewhere.
      return list(request, reply, who, 201, { created });
    },
  );

  konsol.post<{ Params: { id: string } }>(
    `${path}/:id/hapus`,
    page('Konsol admin: revoke a token (form post); refused on every instance'),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      await tokens.delete(request.params.id, actorOf(request, who));
      return doneTo(kit, request, reply, TOKENS_PATH, 'revoked');
    },
  );
}
