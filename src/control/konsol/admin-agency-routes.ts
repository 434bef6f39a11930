/** Konsol's agency pages: list, create, edit and delete through AgencyService, with the signed-in admin as actor. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  AGENCIES_PATH,
  type AgencyFormValues,
  agenciesPage,
  agencyEditPage,
  agencyFormValues,
  confirmPage,
} from './admin-agency-page.js';
import { refusalOf } from './admin-fields.js';
import {
  type AdminRouteKit,
  actorOf,
  adminChanger,
  adminFrame,
  adminViewer,
  doneTo,
  type Form,
  formOf,
  registerAdminList,
} from './admin-kit.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

/** The form as typed; owned names one per line (commas and spaces also separate). */
function valuesOf(form: Form): AgencyFormValues {
  return {
    id: (form.id ?? '').trim(),
    name: form.name ?? '',
    contact: form.contact ?? '',
    owns: form.owns ?? '',
  };
}

function ownsOf(values: AgencyFormValues): string[] {
  return values.owns.split(/[\s,]+/).filter((n) => n !== '');
}

type Params = { Params: { id: string } };

export function registerAdminAgencyRoutes(konsol: FastifyInstance, kit: AdminRouteKit): void {
  const path = AGENCIES_PATH.slice('/konsol'.length);
  const { agencies } = kit;

  const list = (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    extra: Parameters<typeof agenciesPage>[2] = {},
  ) =>
    kit.html(
      reply,
      status,
      agenciesPage(
        adminFrame(kit, request, who, (w) => w.agencies),
        agencies.list(),
        extra,
      ),
    );

  registerAdminList(
    konsol,
    kit,
    { path, summary: 'Konsol admin: the agencies, their contacts and owned names' },
    list,
  );

  konsol.post(path, page('Konsol admin: create an agency (form post)'), async (request, reply) => {
    const who = await adminChanger(kit, request);
    const values = valuesOf(formOf(request));
    try {
      // PUT /v1/agencies/{id}'s own call; a create form must not replace an agency by typing its id.
      await agencies.put(
        values.id,
        { name: values.name, contact: values.contact, owns: ownsOf(values) },
        actorOf(request, who),
        { mustBeNew: true },
      );
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal === undefined) throw err;
      return list(request, reply, who, refusal.status, { values, refusal });
    }
    return doneTo(kit, request, reply, AGENCIES_PATH, 'saved');
  });

  konsol.get<Params>(
    `${path}/:id`,
    page('Konsol admin: the edit form of one agency'),
    async (request, reply) => {
      const who = await adminViewer(kit, request);
      if (who === undefined) return kit.toLogin(request, reply);
      const agency = agencies.get(request.params.id);
      const frame = adminFrame(kit, request, who, (w) => w.editAgency.replace('{id}', agency.id));
      return kit.html(reply, 200, agencyEditPage(frame, agency.id, agencyFormValues(agency)));
    },
  );

  konsol.post<Params>(
    `${path}/:id`,
    page('Konsol admin: save an agency (form post)'),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      const current = agencies.get(request.params.id);
      const values = { ...valuesOf(formOf(request)), id: current.id };
      try {
        // The quota is not on this form: it is sent back as stored, or PUT would drop it.
        await agencies.put(
          current.id,
          {
            name: values.name,
            contact: values.contact,
            owns: ownsOf(values),
            ...(current.quota !== undefined ? { quota: current.quota } : {}),
          },
          actorOf(request, who),
        );
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal === undefined) throw err;
        const frame = adminFrame(kit, request, who, (w) => w.editAgency.replace('{id}', current.id));
        return kit.html(reply, refusal.status, agencyEditPage(frame, current.id, values, refusal));
      }
      return doneTo(kit, request, reply, AGENCIES_PATH, 'saved');
    },
  );

  const confirm = (request: FastifyRequest, who: SignedIn, id: string, error?: string) => {
    const frame = adminFrame(kit, request, who, (w) => w.deleteAgency.replace('{id}', id));
    return confirmPage(frame, AGENCIES_PATH, id, frame.admin.deleteAgencyNote, error);
  };

  konsol.get<Params>(
    `${path}/:id/hapus`,
    page('Konsol admin: confirm deleting an agency'),
    async (request, reply) => {
      const who = await adminViewer(kit, request);
      if (who === undefined) return kit.toLogin(request, reply);
      const agency = agencies.get(request.params.id);
      return kit.html(reply, 200, confirm(request, who, agency.id));
    },
  );

  konsol.post<Params>(
    `${path}/:id/hapus`,
    page('Konsol admin: delete an agency and its tokens (form post)'),
    async (request, reply) => {
      const who = await adminChanger(kit, request);
      try {
        await agencies.delete(request.params.id, actorOf(request, who));
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal === undefined || refusal.status === 404) throw err;
        // Still has hosts (409): said on the confirmation page, which stays where it was.
        return kit.html(reply, refusal.status, confirm(request, who, request.params.id, refusal.summary));
      }
      return doneTo(kit, request, reply, AGENCIES_PATH, 'deleted');
    },
  );
}
