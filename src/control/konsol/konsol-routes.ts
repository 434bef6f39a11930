/** Konsol on the admin listener at /konsol/: login, logout and "Layanan saya", calling the same services with the same checks as /v1. */

import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TRAFFIC_PAGE_HOURS } from '../../config/defaults.js';
import type { Snapshot } from '../../data/routing/snapshot.js';
import { GerbangError, isGerbangError } from '../../errors.js';
import type { Actor, AuditLog } from '../audit-log.js';
import type { Principal } from '../auth.js';
import { auditPurge, type CachePurgeOptions, purgeCache } from '../cache-purge.js';
import type { CertificateListing } from '../certificates/certificate-service.js';
import type { KeptFinding } from '../defacement/findings-record.js';
import { hostStatus, type StatusRouteOptions } from '../health/status-routes.js';
import type { HostService, HostView } from '../host-service.js';
import type { TrafficReader } from '../usage/traffic-routes.js';
import { registerUserRoutes } from '../users/user-routes.js';
import type { StoredUser } from '../users/user-schema.js';
import { LOGIN_PATTERN } from '../users/user-schema.js';
import { principalOfUser, type UserService } from '../users/user-service.js';
import { registerAccountRoutes } from './account-routes.js';
import type { AdminServices } from './admin-kit.js';
import { registerAdminRoutes } from './admin-routes.js';
import { trackAllowedMethods } from './allowed-methods.js';
import { type CertificateAdmin, registerCertPageRoutes } from './cert-page-routes.js';
import { hostDetailPage } from './host-detail-page.js';
import { registerHostFormRoutes } from './host-form-routes.js';
import { type InventoryPages, registerInventoryPageRoutes } from './inventory-routes.js';
import { KONSOL_CSS, KONSOL_CSS_PATH } from './konsol-css.js';
import {
  assertSameOrigin,
  cookieOf,
  KONSOL_PATH,
  LOGIN_CSRF_COOKIE,
  SESSION_COOKIE,
  setCookie,
  setSecurityHeaders,
} from './konsol-guard.js';
import { konsolLanguage, type Lang, wordsOf } from './konsol-i18n.js';
import { page } from './konsol-page-doc.js';
import { loginPage, messagePage, type PageFrame, type ServiceCard, servicesPage } from './konsol-pages.js';
import type { LoginThrottle } from './login-throttle.js';
import { csrfMatches, type OpenSession, type SessionStore } from './session-store.js';
import { registerSystemPageRoutes, type SystemInfo } from './store-page-routes.js';
import { registerTrafficPageRoutes } from './traffic-page-routes.js';

export interface KonsolOptions {
  users: UserService;
  sessions: SessionStore;
  throttle: LoginThrottle;
  audit: AuditLog;
  hosts: HostService;
  /** Targets' health, as GET /v1/status shows it. */
  status: Pick<StatusRouteOptions, 'snapshot' | 'checks'>;
  /** An agency member's session ends with their agency. */
  agencyExists: (id: string) => boolean;
  /** The cache purge of POST /v1/cache/purge, same checks; absent = no purge form (the cache is off). */
  purge?: CachePurgeOptions;
  /** The certificate listing of GET /v1/certificates; absent = no certificate section. */
  certificates?: { list(): Promise<CertificateListing[]> };
  /** The certificate service and guard of /v1/certificates: the /konsol/sertifikat page; absent = no page. */
  certificateAdmin?: CertificateAdmin;
  /** What GET /v1/store and /v1/instances read: the /konsol/admin/sistem page; absent = no page. */
  system?: SystemInfo;
  /** AgencyService and TokenService of /v1/agencies and /v1/tokens: the /konsol/admin/* pages; absent = none. */
  admin?: AdminServices;
  /** The inventory and onboarding of /v1/inventory and /v1/onboard: /konsol/inventaris and /konsol/onboard; absent = none. */
  inventoryPages?: InventoryPages;
  /** The reading of GET /v1/reports/traffic: /konsol/lalu-lintas and the host page's traffic; absent = neither. */
  traffic?: TrafficReader;
  /** Each host's latest defacement findings (GET /v1/defacement): a section of the host page; absent = none. */
  defacement?: { get(host: string): Promise<{ findings: KeptFinding[] } | undefined> };
}

/** Form bodies are small: a login, a toggle. */
const FORM_BODY_LIMIT = 16 * 1024;
const LOGIN_CSRF_MAX_AGE_S = 3_600;

export interface SignedIn {
  open: OpenSession;
  user: StoredUser;
  principal: Principal;
}

type Form = Record<string, string | undefined>;

function formOf(request: FastifyRequest): Form {
  return (request.body ?? {}) as Form;
}

/** Registers /v1/users and everything under /konsol/. */
export function registerKonsol(app: FastifyInstance, options: KonsolOptions): void {
  registerUserRoutes(app, options.users, options.throttle);
  app.register(async (konsol) => konsolRoutes(konsol, options), { prefix: KONSOL_PATH });
}

async function konsolRoutes(konsol: FastifyInstance, options: KonsolOptions): Promise<void> {
  const { users, sessions, throttle, audit, hosts } = options;
  const lifetimeS = Math.floor(sessions.times.lifetimeMs / 1000);

  konsol.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
    (_request, body, done) => {
      const form: Form = {};
      // The first value of a name wins: a repeated field cannot smuggle a second meaning.
      for (const [key, value] of new URLSearchParams(body as string)) form[key] ??= value;
      done(null, form);
    },
  );
  konsol.addHook('onRequest', async (_request, reply) => setSecurityHeaders(reply));

  const langOf = (request: FastifyRequest): Lang =>
    konsolLanguage(request.query, request.headers['accept-language']);
  const frameOf = (request: FastifyRequest, title: (w: ReturnType<typeof wordsOf>) => string): PageFrame => {
    const lang = langOf(request);
    const words = wordsOf(lang);
    return { lang, words, title: title(words) };
  };
  const html = (reply: FastifyReply, status: number, page: string) =>
    reply.code(status).type('text/html; charset=utf-8').send(page);

  /** The live session and its user, or undefined; a session whose user or agency is gone is closed. */
  const signedIn = async (request: FastifyRequest): Promise<SignedIn | undefined> => {
    const open = await sessions.find(cookieOf(request, SESSION_COOKIE));
    if (open === undefined) return undefined;
    const user = await users.byId(open.session.userId);
    const agency = user?.role.startsWith('agency:') ? user.role.slice('agency:'.length) : undefined;
    if (user === undefined || (agency !== undefined && !options.agencyExists(agency))) {
      await sessions.close(open.id);
      return undefined;
    }
    return { open, user, principal: principalOfUser(user) };
  };
  /** A change: same origin, a live session and its CSRF token, or a refusal. */
  const forChange = async (request: FastifyRequest): Promise<SignedIn> => {
    assertSameOrigin(request);
    const who = await signedIn(request);
    if (who === undefined) throw new GerbangError('UNAUTHORIZED', 'not signed in');
    if (!csrfMatches(formOf(request).csrf, who.open.session.csrf)) {
      throw new GerbangError('CSRF_REFUSED', 'the form has no valid CSRF token');
    }
    return who;
  };
  const toLogin = (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .code(303)
      .header('location', `/konsol/login?lang=${langOf(request)}`)
      .send();

  konsol.setErrorHandler((err, request, reply) => {
    const status = isGerbangError(err)
      ? err.statusCode
      : ((err as { statusCode?: number }).statusCode ?? 500);
    if (status >= 500) request.log.error({ err }, 'konsol failure');
    if (isGerbangError(err) && err.code === 'UNAUTHORIZED' && request.method === 'GET')
      return toLogin(request, reply);
    const frame = frameOf(request, (w) => w.refused);
    const message =
      status === 404 ? frame.words.notFound : status === 403 ? frame.words.forbidden : frame.words.refused;
    // The API's own words for a refusal (as safe to show as its JSON answer), escaped by the page.
    const code = isGerbangError(err) && status < 500 ? ` (${err.code}: ${err.message})` : '';
    return html(reply, status >= 400 && status < 600 ? status : 500, messagePage(frame, message + code));
  });
  const allowedAt = trackAllowedMethods(konsol);
  konsol.setNotFoundHandler((request, reply) => {
    const allowed = allowedAt(request.url.split('?')[0] ?? '');
    const frame = frameOf(request, (w) => w.notFound);
    if (allowed.length === 0) return html(reply, 404, messagePage(frame, frame.words.notFound));
    reply.header('allow', allowed.join(', '));
    return html(reply, 405, messagePage(frame, frame.words.refused));
  });

  konsol.get(
    KONSOL_CSS_PATH.slice(KONSOL_PATH.length),
    page('Konsol: its one stylesheet'),
    async (_request, reply) => reply.type('text/css; charset=utf-8').send(KONSOL_CSS),
  );

  konsol.get('/login', page('Konsol: the login page'), async (request, reply) => {
    if ((await signedIn(request)) !== undefined) return reply.code(303).header('location', '/konsol/').send();
    const token = randomBytes(24).toString('base64url');
    setCookie(request, reply, LOGIN_CSRF_COOKIE, token, LOGIN_CSRF_MAX_AGE_S);
    const frame = frameOf(request, (w) => w.loginTitle);
    return html(
      reply,
      200,
      loginPage(frame, {
        csrf: token,
        ...((request.query as { changed?: unknown }).changed === '1'
          ? { notice: frame.words.passwordChanged }
          : {}),
      }),
    );
  });

  konsol.post(
    '/login',
    page('Konsol: log in (form post; sets the session cookie)'),
    async (request, reply) => {
      assertSameOrigin(request);
      const form = formOf(request);
      const expected = cookieOf(request, LOGIN_CSRF_COOKIE);
      if (expected === undefined || !csrfMatches(form.csrf, expected)) {
        throw new GerbangError('CSRF_REFUSED', 'the login form has no valid CSRF token');
      }
      const frame = frameOf(request, (w) => w.loginTitle);
      const login = (form.login ?? '').trim().toLowerCase();
      const password = form.password ?? '';
      const again = (status: number, error: string, wait?: number) => {
        if (wait !== undefined) reply.header('retry-after', String(wait));
        return html(reply, status, loginPage(frame, { csrf: expected, login, error }));
      };
      const wellFormed =
        new RegExp(LOGIN_PATTERN).test(login) && password.length > 0 && password.length <= 200;
      const wait = wellFormed ? throttle.waitMs(login, request.ip) : 0;
      if (wait > 0) {
        const s = Math.max(1, Math.ceil(wait / 1000));
        return again(429, frame.words.tooMany.replace('{s}', String(s)), s);
      }
      const known = wellFormed ? await users.authenticate(login, password) : undefined;
      // A second factor, when enrolled, is part of the credential: a wrong code fails like a wrong password.
      const user = known && (await users.passSecondFactor(known, form.code));
      const agency = user?.role.startsWith('agency:') ? user.role.slice('agency:'.length) : undefined;
      if (user === undefined || (agency !== undefined && !options.agencyExists(agency))) {
        const delay = wellFormed ? throttle.fail(login, request.ip) : 0;
        await audit.append(anonymous(request), {
          action: 'konsol.login.failed',
          target: wellFormed ? login : '(malformed)',
          owners: [agency],
          before: null,
          after: null,
        });
        if (delay > 0) {
          const s = Math.max(1, Math.ceil(delay / 1000));
          return again(429, frame.words.tooMany.replace('{s}', String(s)), s);
        }
        return again(401, known?.totp !== undefined ? frame.words.wrongLoginOrCode : frame.words.wrongLogin);
      }
      throttle.succeed(login, request.ip);
      const { secret } = await sessions.open(user.id);
      setCookie(request, reply, SESSION_COOKIE, secret, lifetimeS);
      setCookie(request, reply, LOGIN_CSRF_COOKIE, '', 0);
      await audit.append(
        { principal: principalOfUser(user), ip: request.ip },
        {
          action: 'konsol.login',
          target: user.id,
          owners: [agency],
          before: null,
          after: { login: user.login },
        },
      );
      return reply.code(303).header('location', `/konsol/?lang=${frame.lang}`).send();
    },
  );

  konsol.post('/logout', page('Konsol: log out (form post)'), async (request, reply) => {
    const who = await forChange(request);
    await sessions.close(who.open.id);
    setCookie(request, reply, SESSION_COOKIE, '', 0);
    await audit.append(
      { principal: who.principal, ip: request.ip },
      {
        action: 'konsol.logout',
        target: who.user.id,
        owners: [agencyOfRole(who.user.role)],
        before: null,
        after: null,
      },
    );
    return toLogin(request, reply);
  });

  konsol.get('/', page('Konsol: Layanan saya, the hosts the user may see'), async (request, reply) => {
    const who = await signedIn(request);
    if (who === undefined) return toLogin(request, reply);
    const frame = { ...frameOf(request, (w) => w.myServices), user: pageUser(who) };
    const cards = hosts.list(who.principal).map((view) => cardOf(view, options.status));
    const saved = (request.query as { saved?: unknown }).saved === '1' ? frame.words.saved : undefined;
    return html(reply, 200, servicesPage(frame, cards, saved));
  });

  konsol.get<{ Params: { host: string } }>(
    '/hosts/:host',
    page('Konsol: one host (health, certificate, cache purge, audit)'),
    async (request, reply) => {
      const who = await signedIn(request);
      if (who === undefined) return toLogin(request, reply);
      // The same call, with the same checks, as GET /v1/hosts/{host}: another agency's host is a 403, none a 404.
      const view = hosts.get(request.params.host, who.principal);
      const frame = { ...frameOf(request, () => view.host), user: pageUser(who) };
      const certificates = options.certificates && (await options.certificates.list());
      const purged = (request.query as { purged?: unknown }).purged;
      return html(
        reply,
        200,
        hostDetailPage(frame, {
          card: cardOf(view, options.status),
          ...(certificates ? { certificate: certificates.find((c) => c.host === view.host) ?? null } : {}),
          purge: options.purge !== undefined,
          audit: await audit.query(who.principal, { host: view.host, limit: 20 }),
          ...(options.traffic
            ? {
                traffic: await options.traffic.read(who.principal, {
                  hours: DEFAULT_TRAFFIC_PAGE_HOURS,
                  host: view.host,
                }),
              }
            : {}),
          ...(options.defacement
            ? { defacement: (await options.defacement.get(view.host))?.findings ?? [] }
            : {}),
          ...(typeof purged === 'string' && /^\d+$/.test(purged)
            ? { notice: frame.words.purged.replace('{n}', purged) }
            : (request.query as { saved?: unknown }).saved === '1'
              ? { notice: frame.words.saved }
              : {}),
        }),
      );
    },
  );

  konsol.post<{ Params: { host: string } }>(
    '/hosts/:host/purge',
    page("Konsol: purge the host's cache under a prefix (form post)"),
    async (request, reply) => {
      const who = await forChange(request);
      const purge = options.purge;
      if (purge === undefined) throw new GerbangError('NOT_FOUND', 'the cache is off on this gateway');
      const prefix = formOf(request).prefix || '/';
      // Exactly POST /v1/cache/purge: its validation, its authorisation, its audit entry.
      const result = await purgeCache(purge, who.principal, { host: request.params.host, prefix });
      await auditPurge(purge, { principal: who.principal, ip: request.ip }, result);
      return reply
        .code(303)
        .header(
          'location',
          `/konsol/hosts/${encodeURIComponent(result.host)}?purged=${result.removed}&lang=${langOf(request)}`,
        )
        .send();
    },
  );

  konsol.post<{ Params: { host: string } }>(
    '/hosts/:host/maintenance',
    page('Konsol: switch maintenance on or off (form post)'),
    async (request, reply) => {
      const who = await forChange(request);
      const enabled = formOf(request).enabled;
      if (enabled !== 'on' && enabled !== 'off') {
        throw new GerbangError('VALIDATION_FAILED', '/maintenance/enabled: expected on or off');
      }
      const actor: Actor = { principal: who.principal, ip: request.ip };
      await hosts.patch(request.params.host, { maintenance: { enabled: enabled === 'on' } }, actor);
      return reply
        .code(303)
        .header('location', `/konsol/?saved=1&lang=${langOf(request)}`)
        .send();
    },
  );
  registerAccountRoutes(konsol, { users, signedIn, forChange, frameOf, html, toLogin, langOf, pageUser });
  const kit = { signedIn, forChange, frameOf, html, toLogin, langOf, pageUser };
  if (options.certificateAdmin)
    registerCertPageRoutes(konsol, { ...kit, hosts, certificates: options.certificateAdmin });
  if (options.system) registerSystemPageRoutes(konsol, { ...kit, system: options.system });
  if (options.admin) registerAdminRoutes(konsol, { ...kit, users, ...options.admin });
  registerHostFormRoutes(konsol, { ...kit, hosts });
  registerInventoryPageRoutes(konsol, { ...kit, hosts, pages: options.inventoryPages });
  if (options.traffic) registerTrafficPageRoutes(konsol, { ...kit, traffic: options.traffic });
}

function agencyOfRole(role: string): string | undefined {
  return role.startsWith('agency:') ? role.slice('agency:'.length) : undefined;
}

function pageUser(who: SignedIn) {
  return {
    name: who.user.name,
    login: who.user.login,
    csrf: who.open.session.csrf,
    admin: who.user.role === 'admin',
  };
}

/** Failed logins have no principal: audited as `konsol:anonymous` with no agency of their own. */
function anonymous(request: FastifyRequest): Actor {
  return { principal: { tokenId: 'konsol:anonymous', scope: 'admin' }, ip: request.ip };
}

function cardOf(view: HostView, status: KonsolOptions['status']): ServiceCard {
  const snapshot: Snapshot = status.snapshot();
  const compiled = view.host.startsWith('*.')
    ? snapshot.wildcards.get(view.host.slice(2))
    : snapshot.exact.get(view.host);
  const live = compiled ? hostStatus(compiled, performance.now(), status.checks) : undefined;
  return {
    host: view.host,
    status: live?.status ?? 'down',
    maintenance: view.maintenance?.enabled === true,
    routes:
      live?.routes.map((r) => ({
        path: r.path,
        targets: r.targets.map((t) => ({ target: t.target, up: t.up, condition: t.condition })),
      })) ?? view.routes.map((r) => ({ path: r.path, targets: [] })),
  };
}
