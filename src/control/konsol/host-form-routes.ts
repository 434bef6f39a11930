/** Konsol's "add a service" and "edit" pages: form posts turned into the PUT /v1/hosts/{host} body and handed to the same HostService call. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_ADMIN_BODY_LIMIT } from '../../config/defaults.js';
import { GerbangError, isGerbangError } from '../../errors.js';
import type { Actor } from '../audit-log.js';
import { agencyOf } from '../auth.js';
import type { HostService } from '../host-service.js';
import type { AccountRouteKit } from './account-routes.js';
import { type FieldErrors, fieldErrorsOf } from './host-form-errors.js';
import { hostFormPage } from './host-form-page.js';
import {
  formValuesOf,
  formValuesOfDoc,
  type HostFormValues,
  hostBodyOf,
  NEW_HOST_ROUTES,
} from './host-form-values.js';
import { hostFormWordsOf } from './host-form-words.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

/** What the host form borrows from the Konsol it is part of. */
export interface HostFormKit extends Omit<AccountRouteKit, 'users'> {
  hosts: HostService;
}

type Form = Record<string, string | undefined>;

export function registerHostFormRoutes(konsol: FastifyInstance, kit: HostFormKit): void {
  const { hosts } = kit;
  // The form carries a whole host document: the API's own body limit, not the 16 KiB of a login form.
  const limits = { bodyLimit: DEFAULT_ADMIN_BODY_LIMIT };

  const show = (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    form: { host?: string; values: HostFormValues; errors?: FieldErrors },
  ) => {
    const words = hostFormWordsOf(kit.langOf(request));
    const frame = {
      ...kit.frameOf(request, () =>
        form.host === undefined ? words.newTitle : words.editTitle.replace('{host}', form.host),
      ),
      user: kit.pageUser(who),
    };
    return kit.html(
      reply,
      status,
      hostFormPage(frame, {
        mode: form.host === undefined ? 'new' : 'edit',
        ...(form.host !== undefined ? { host: form.host } : {}),
        values: form.values,
        errors: form.errors ?? new Map(),
        chooseAgency: agencyOf(who.principal) === undefined,
        words,
      }),
    );
  };
  /** A refusal the user can fix is shown on the form, everything typed kept; anything else is Konsol's error page. */
  const refusedOnForm = (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    err: unknown,
    form: { host?: string; values: HostFormValues },
  ) => {
    if (!isGerbangError(err) || err.statusCode >= 500) throw err;
    const errors = fieldErrorsOf(err);
    if (err.code === 'CONFLICT') errors.set('', [hostFormWordsOf(kit.langOf(request)).conflict]);
    return show(request, reply, who, err.statusCode, { ...form, errors });
  };
  const toHostPage = (request: FastifyRequest, reply: FastifyReply, host: string) =>
    reply
      .code(303)
      .header('location', `/konsol/hosts/${encodeURIComponent(host)}?saved=1&lang=${kit.langOf(request)}`)
      .send();
  const actorOf = (request: FastifyRequest, who: SignedIn): Actor => ({
    principal: who.principal,
    ip: request.ip,
  });

  konsol.get('/hosts/new', page('Konsol: the form to add a service (a new host)'), async (request, reply) => {
    const who = await kit.signedIn(request);
    if (who === undefined) return kit.toLogin(request, reply);
    return show(request, reply, who, 200, { values: { routes: NEW_HOST_ROUTES } });
  });

  konsol.post(
    '/hosts',
    {
      ...page('Konsol: add a service (form post; the checks of PUT /v1/hosts/{host}, never overwrites)'),
      ...limits,
    },
    async (request, reply) => {
      const who = await kit.forChange(request);
      const values = formValuesOf((request.body ?? {}) as Form);
      try {
        const name = (values.host ?? '').trim();
        if (name === '') throw new GerbangError('VALIDATION_FAILED', '/host: a host name is required');
        const body = hostBodyOf(values, { withAgency: agencyOf(who.principal) === undefined });
        const { view } = await hosts.put(name, body, actorOf(request, who), { ifAbsent: true });
        return toHostPage(request, reply, view.host);
      } catch (err) {
        return refusedOnForm(request, reply, who, err, { values });
      }
    },
  );

  konsol.get<{ Params: { host: string } }>(
    '/hosts/:host/edit',
    page("Konsol: the form to edit a host's document"),
    async (request, reply) => {
      const who = await kit.signedIn(request);
      if (who === undefined) return kit.toLogin(request, reply);
      // GET /v1/hosts/{host}'s call and checks: another agency's host is the API's 403.
      const view = hosts.get(request.params.host, who.principal);
      return show(request, reply, who, 200, { host: view.host, values: formValuesOfDoc(view) });
    },
  );

  konsol.post<{ Params: { host: string } }>(
    '/hosts/:host/edit',
    {
      ...page('Konsol: save a host (form post; PUT /v1/hosts/{host} on the version the form was read from)'),
      ...limits,
    },
    async (request, reply) => {
      const who = await kit.forChange(request);
      // Checked before anything posted is looked at: another agency's host is a 403 page, as the API answers.
      const current = hosts.get(request.params.host, who.principal);
      const values = formValuesOf((request.body ?? {}) as Form);
      const form = { host: current.host, values };
      try {
        const body = hostBodyOf(values, { withAgency: false });
        const actor = actorOf(request, who);
        await hosts.put(current.host, body, actor, { ifUpdatedAt: values.updatedAt ?? '' });
        return toHostPage(request, reply, current.host);
      } catch (err) {
        return refusedOnForm(request, reply, who, err, form);
      }
    },
  );
}
