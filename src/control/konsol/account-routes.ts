/** Konsol's "Akun saya": own password change and TOTP enrolment, confirmation and removal, all as form posts. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GerbangError, isGerbangError } from '../../errors.js';
import type { UserService } from '../users/user-service.js';
import { type AccountPageOptions, accountPage, type TwoFactorState } from './account-page.js';
import { SESSION_COOKIE, setCookie } from './konsol-guard.js';
import type { Lang, Words } from './konsol-i18n.js';
import { page } from './konsol-page-doc.js';
import type { PageFrame, PageUser } from './konsol-pages.js';
import type { SignedIn } from './konsol-routes.js';

/** What the account routes borrow from the Konsol they are part of. */
export interface AccountRouteKit {
  users: UserService;
  signedIn: (request: FastifyRequest) => Promise<SignedIn | undefined>;
  forChange: (request: FastifyRequest) => Promise<SignedIn>;
  frameOf: (request: FastifyRequest, title: (w: Words) => string) => PageFrame;
  html: (reply: FastifyReply, status: number, page: string) => FastifyReply;
  toLogin: (request: FastifyRequest, reply: FastifyReply) => FastifyReply;
  langOf: (request: FastifyRequest) => Lang;
  pageUser: (who: SignedIn) => PageUser;
}

type Form = Record<string, string | undefined>;

export function registerAccountRoutes(konsol: FastifyInstance, kit: AccountRouteKit): void {
  const { users } = kit;
  const stateOf = async (who: SignedIn): Promise<TwoFactorState> => {
    const user = (await users.byId(who.user.id)) ?? who.user;
    if (user.totp !== undefined)
      return { kind: 'on', enabledAt: user.totp.enabledAt, recoveryLeft: user.totp.recovery.length };
    const pending = await users.pendingTotp(user.id);
    return pending === undefined ? { kind: 'off' } : { kind: 'pending', ...pending };
  };
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    extra: Omit<AccountPageOptions, 'twoFactor'> = {},
  ) => {
    const frame = { ...kit.frameOf(request, (w) => w.account), user: kit.pageUser(who) };
    return kit.html(reply, status, accountPage(frame, { twoFactor: await stateOf(who), ...extra }));
  };
  const backToAccount = (request: FastifyRequest, reply: FastifyReply, notice?: string) =>
    reply
      .code(303)
      .header('location', `/konsol/akun?lang=${kit.langOf(request)}${notice ? `&ok=${notice}` : ''}`)
      .send();
  /** A refusal the user can fix (a wrong code) is shown on the page, next to the form. */
  const refusedOnPage = async (request: FastifyRequest, reply: FastifyReply, who: SignedIn, err: unknown) => {
    if (!isGerbangError(err) || err.statusCode >= 500) throw err;
    const words = kit.frameOf(request, (w) => w.account).words;
    const message = err.code === 'UNAUTHORIZED' ? words.wrongLoginOrCode : `${err.code}: ${err.message}`;
    return show(request, reply, who, err.statusCode, { error: message });
  };

  konsol.get(
    '/akun',
    page('Konsol: the account page (password, two-step sign-in)'),
    async (request, reply) => {
      const who = await kit.signedIn(request);
      if (who === undefined) return kit.toLogin(request, reply);
      const ok = (request.query as { ok?: unknown }).ok;
      const words = kit.frameOf(request, (w) => w.account).words;
      return show(request, reply, who, 200, ok === 'totp-off' ? { notice: words.twoFactorRemoved } : {});
    },
  );

  konsol.post('/akun/totp', page('Konsol: start a TOTP enrolment (form post)'), async (request, reply) => {
    const who = await kit.forChange(request);
    try {
      await users.startTotp(who.user.id);
    } catch (err) {
      return refusedOnPage(request, reply, who, err);
    }
    return backToAccount(request, reply);
  });

  konsol.post(
    '/akun/totp/konfirmasi',
    page('Konsol: confirm the TOTP enrolment with a first code; shows the recovery codes once'),
    async (request, reply) => {
      const who = await kit.forChange(request);
      const form = (request.body ?? {}) as Form;
      try {
        const codes = await users.confirmTotp(who.user.id, { code: form.code ?? '' }, request.ip);
        return show(request, reply, who, 200, { recoveryCodes: codes });
      } catch (err) {
        return refusedOnPage(request, reply, who, err);
      }
    },
  );

  konsol.post(
    '/akun/totp/hapus',
    page('Konsol: remove the second factor with a current code (form post)'),
    async (request, reply) => {
      const who = await kit.forChange(request);
      const form = (request.body ?? {}) as Form;
      try {
        const passed = await users.passSecondFactor(who.user, form.code);
        if (passed === undefined) throw new GerbangError('UNAUTHORIZED', 'wrong code');
        await users.removeTotp(who.user.id, { principal: who.principal, ip: request.ip });
      } catch (err) {
        return refusedOnPage(request, reply, who, err);
      }
      return backToAccount(request, reply, 'totp-off');
    },
  );

  konsol.post(
    '/akun/sandi',
    page('Konsol: change your own password (form post); every session of yours ends'),
    async (request, reply) => {
      const who = await kit.forChange(request);
      const form = (request.body ?? {}) as Form;
      const body = {
        login: who.user.login,
        currentPassword: form.currentPassword ?? '',
        newPassword: form.newPassword ?? '',
        ...(form.code ? { code: form.code } : {}),
      };
      try {
        await users.changeOwnPassword(body, request.ip);
      } catch (err) {
        return refusedOnPage(request, reply, who, err);
      }
      // The change ended every session, this one included: sign in again with the new password.
      setCookie(request, reply, SESSION_COOKIE, '', 0);
      return reply
        .code(303)
        .header('location', `/konsol/login?lang=${kit.langOf(request)}&changed=1`)
        .send();
    },
  );
}
