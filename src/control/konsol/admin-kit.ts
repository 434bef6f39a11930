/** What the admin pages share: the Konsol helpers they borrow, the admin check before anything else, the "saved" notices. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgencyService } from '../agency-service.js';
import type { Actor } from '../audit-log.js';
import { requireAdmin } from '../auth.js';
import type { TokenService } from '../token-service.js';
import type { AccountRouteKit } from './account-routes.js';
import type { AdminFrame } from './admin-agency-page.js';
import { ADMIN_WORDS, type AdminWords } from './admin-words.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

export interface AdminServices {
  agencies: AgencyService;
  tokens: TokenService;
}

export interface AdminRouteKit extends AccountRouteKit, AdminServices {}

export type Form = Record<string, string | undefined>;

export function formOf(request: FastifyRequest): Form {
  return (request.body ?? {}) as Form;
}

/** The signed-in admin as the service's actor, so its audit entry names them and their address. */
export function actorOf(request: FastifyRequest, who: SignedIn): Actor {
  return { principal: who.principal, ip: request.ip };
}

/** The frame of an admin page: Konsol's words and the admin pages' own, the signed-in admin. */
export function adminFrame(
  kit: AdminRouteKit,
  request: FastifyRequest,
  who: SignedIn,
  title: (w: AdminWords) => string,
): AdminFrame {
  const admin = ADMIN_WORDS[kit.langOf(request)];
  return { ...kit.frameOf(request, () => title(admin)), user: kit.pageUser(who), admin };
}

/** A GET of an admin page: the signed-in admin, undefined (sent to login), or the API's 403 for anyone else. */
export async function adminViewer(
  kit: AdminRouteKit,
  request: FastifyRequest,
): Promise<SignedIn | undefined> {
  const who = await kit.signedIn(request);
  // The same check, before anything is read, as the API's adminOnly hook.
  if (who !== undefined) requireAdmin(who.principal);
  return who;
}

/** A POST of an admin form: same origin, session CSRF token, then admin only, before the form is looked at. */
export async function adminChanger(kit: AdminRouteKit, request: FastifyRequest): Promise<SignedIn> {
  const who = await kit.forChange(request);
  requireAdmin(who.principal);
  return who;
}

/** The GET of an admin list: login without a session, the API's 403 for a non-admin, then the list with its notice. */
export function registerAdminList(
  konsol: FastifyInstance,
  kit: AdminRouteKit,
  route: { path: string; summary: string },
  list: (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    extra: { notice?: string },
  ) => FastifyReply | Promise<FastifyReply>,
): void {
  konsol.get(route.path, page(route.summary), async (request, reply) => {
    const who = await adminViewer(kit, request);
    if (who === undefined) return kit.toLogin(request, reply);
    const notice = noticeFromQuery(request, ADMIN_WORDS[kit.langOf(request)]);
    return list(request, reply, who, 200, notice ? { notice } : {});
  });
}

const NOTICES = {
  saved: 'saved',
  deleted: 'deleted',
  reset: 'resetDone',
  'totp-off': 'totpRemoved',
  revoked: 'revoked',
} as const satisfies Record<string, keyof AdminWords>;

export type NoticeKey = keyof typeof NOTICES;

/** After a change: back to the list (303), which says the change is live. */
export function doneTo(
  kit: AdminRouteKit,
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  notice: NoticeKey,
): FastifyReply {
  return reply
    .code(303)
    .header('location', `${path}?lang=${kit.langOf(request)}&ok=${notice}`)
    .send();
}

export function noticeFromQuery(request: FastifyRequest, words: AdminWords): string | undefined {
  const ok = (request.query as { ok?: unknown } | undefined)?.ok;
  return typeof ok === 'string' && Object.hasOwn(NOTICES, ok) ? words[NOTICES[ok as NoticeKey]] : undefined;
}
