/** Konsol's inventory pages (/konsol/inventaris) and onboarding page (/konsol/onboard): form posts handed to the same services as /v1/inventory, /v1/onboard and PUT /v1/hosts. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_ADMIN_BODY_LIMIT } from '../../config/defaults.js';
import { GerbangError, isGerbangError } from '../../errors.js';
import type { Actor } from '../audit-log.js';
import { agencyOf } from '../auth.js';
import type { HostService } from '../host-service.js';
import type { InventoryService } from '../inventory/inventory-service.js';
import { type OnboardContext, onboardPortal } from '../inventory/onboard-service.js';
import type { AccountRouteKit } from './account-routes.js';
import { inventoryFieldErrors } from './inventory-field-errors.js';
import {
  ENTRY_FIELDS,
  type EntryValues,
  inventoryEntryPage,
  inventoryListPage,
} from './inventory-list-page.js';
import { type OnboardPageOptions, onboardPage } from './inventory-onboard-page.js';
import { INVENTORY_WORDS } from './inventory-words.js';
import { page } from './konsol-page-doc.js';
import type { SignedIn } from './konsol-routes.js';

/** What the inventory pages need beyond the Konsol kit: the inventory, and onboarding's policy and zones. */
export interface InventoryPages extends OnboardContext {
  inventory: InventoryService;
}

export interface InventoryPageKit extends Omit<AccountRouteKit, 'users'> {
  hosts: HostService;
  /** Absent: the inventory is not served here, and neither are these pages. */
  pages: InventoryPages | undefined;
}

type Form = Record<string, string | undefined>;

/** Only what was typed: an empty field is absent, as it would be from the API. */
function entryBody(values: EntryValues, withAgency: boolean): Record<string, string> {
  const body: Record<string, string> = {};
  for (const name of ENTRY_FIELDS) {
    if (name === 'agency' && !withAgency) continue;
    const value = values[name]?.trim();
    if (value) body[name] = value;
  }
  return body;
}

export function registerInventoryPageRoutes(konsol: FastifyInstance, kit: InventoryPageKit): void {
  const pages = kit.pages;
  if (pages === undefined) return;
  const { inventory } = pages;
  const wordsOf = (request: FastifyRequest) => INVENTORY_WORDS[kit.langOf(request)];
  const frame = (request: FastifyRequest, who: SignedIn, title: string) => ({
    ...kit.frameOf(request, () => title),
    user: kit.pageUser(who),
  });
  const actorOf = (request: FastifyRequest, who: SignedIn): Actor => ({
    principal: who.principal,
    ip: request.ip,
  });
  const fixable = (err: unknown): GerbangError => {
    if (!isGerbangError(err) || err.statusCode >= 500) throw err;
    return err;
  };

  konsol.get(
    '/inventaris',
    page('Konsol: the inventory entries the user may see'),
    async (request, reply) => {
      const who = await kit.signedIn(request);
      if (who === undefined) return kit.toLogin(request, reply);
      const words = wordsOf(request);
      const saved = (request.query as { saved?: unknown }).saved === '1' ? words.saved : undefined;
      return kit.html(
        reply,
        200,
        inventoryListPage(
          frame(request, who, words.inventoryTitle),
          words,
          inventory.list(who.principal),
          saved,
        ),
      );
    },
  );

  const showEntry = (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    o: { id?: string; values: EntryValues; errors?: Map<string, string> },
  ) => {
    const words = wordsOf(request);
    const title = o.id === undefined ? words.newTitle : words.editTitle.replace('{id}', o.id);
    return kit.html(
      reply,
      status,
      inventoryEntryPage(frame(request, who, title), words, {
        ...o,
        errors: o.errors ?? new Map(),
        chooseAgency: agencyOf(who.principal) === undefined,
      }),
    );
  };
  const save = async (request: FastifyRequest, reply: FastifyReply, id: string | undefined) => {
    const who = await kit.forChange(request);
    const form = (request.body ?? {}) as Form;
    const values: EntryValues = {};
    for (const name of [...ENTRY_FIELDS, 'id'] as const)
      if (form[name] !== undefined) values[name] = form[name];
    try {
      const entryId = id ?? (values.id ?? '').trim();
      if (entryId === '') throw new GerbangError('VALIDATION_FAILED', '/id: an entry id is required');
      // PUT /v1/inventory/{id}'s call: its validation, its access check, its audit entry.
      await inventory.put(
        entryId,
        entryBody(values, agencyOf(who.principal) === undefined),
        actorOf(request, who),
      );
    } catch (err) {
      const errors = inventoryFieldErrors(fixable(err), [...ENTRY_FIELDS, 'id']);
      return showEntry(request, reply, who, fixable(err).statusCode, {
        ...(id ? { id } : {}),
        values,
        errors,
      });
    }
    return reply
      .code(303)
      .header('location', `/konsol/inventaris?saved=1&lang=${kit.langOf(request)}`)
      .send();
  };

  konsol.get(
    '/inventaris/baru',
    page('Konsol: the form to add an inventory entry'),
    async (request, reply) => {
      const who = await kit.signedIn(request);
      if (who === undefined) return kit.toLogin(request, reply);
      return showEntry(request, reply, who, 200, { values: { state: 'reported' } });
    },
  );
  konsol.post(
    '/inventaris',
    page('Konsol: add an inventory entry (form post; PUT /v1/inventory/{id})'),
    (request, reply) => save(request, reply, undefined),
  );
  konsol.get<{ Params: { id: string } }>(
    '/inventaris/:id',
    page('Konsol: the form to edit one inventory entry'),
    async (request, reply) => {
      const who = await kit.signedIn(request);
      if (who === undefined) return kit.toLogin(request, reply);
      // GET /v1/inventory/{id}'s call and checks: another agency's entry is the API's 403.
      const view = inventory.get(request.params.id, who.principal);
      // A live entry's name and the rest are its host's app information: only the host is the entry's own.
      const values: EntryValues =
        view.state === 'live'
          ? { agency: view.agency, state: view.state, ...(view.host ? { host: view.host } : {}) }
          : {
              agency: view.agency,
              state: view.state,
              name: view.name,
              ...(view.description ? { description: view.description } : {}),
              ...(view.category ? { category: view.category } : {}),
              ...(view.contact ? { contact: view.contact } : {}),
              ...(view.url ? { url: view.url } : {}),
            };
      return showEntry(request, reply, who, 200, { id: view.id, values });
    },
  );
  konsol.post<{ Params: { id: string } }>(
    '/inventaris/:id',
    page('Konsol: save one inventory entry (form post; PUT /v1/inventory/{id})'),
    (request, reply) => save(request, reply, request.params.id),
  );

  const showOnboard = (
    request: FastifyRequest,
    reply: FastifyReply,
    who: SignedIn,
    status: number,
    o: Omit<OnboardPageOptions, 'words' | 'chooseAgency' | 'errors'> & { errors?: Map<string, string> },
  ) => {
    const words = wordsOf(request);
    return kit.html(
      reply,
      status,
      onboardPage(frame(request, who, words.onboardTitle), {
        ...o,
        errors: o.errors ?? new Map(),
        words,
        chooseAgency: agencyOf(who.principal) === undefined,
      }),
    );
  };
  konsol.get('/onboard', page('Konsol: onboard a legacy portal (the probe form)'), async (request, reply) => {
    const who = await kit.signedIn(request);
    if (who === undefined) return kit.toLogin(request, reply);
    const created = (request.query as { created?: unknown }).created;
    return showOnboard(request, reply, who, 200, {
      values: {},
      ...(typeof created === 'string' && created !== ''
        ? { notice: wordsOf(request).created.replace('{host}', created) }
        : {}),
    });
  });
  konsol.post(
    '/onboard',
    page('Konsol: probe a legacy portal (form post; POST /v1/onboard)'),
    async (request, reply) => {
      const who = await kit.forChange(request);
      const form = (request.body ?? {}) as Form;
      const values = {
        url: (form.url ?? '').trim(),
        ...(form.host?.trim() ? { host: form.host.trim() } : {}),
        ...(form.agency?.trim() && agencyOf(who.principal) === undefined
          ? { agency: form.agency.trim() }
          : {}),
      };
      try {
        const result = await onboardPortal(values, who.principal, pages);
        return showOnboard(request, reply, who, 200, { values, result });
      } catch (err) {
        const e = fixable(err);
        return showOnboard(request, reply, who, e.statusCode, {
          values,
          errors: inventoryFieldErrors(e, ['url', 'host', 'agency']),
        });
      }
    },
  );
  konsol.post(
    '/onboard/buat',
    {
      ...page(
        'Konsol: create the host from the proposal (form post; PUT /v1/hosts/{host}, never overwrites)',
      ),
      bodyLimit: DEFAULT_ADMIN_BODY_LIMIT,
    },
    async (request, reply) => {
      const who = await kit.forChange(request);
      const form = (request.body ?? {}) as Form;
      const host = (form.host ?? '').trim();
      try {
        let document: unknown;
        try {
          document = JSON.parse(form.document ?? '');
        } catch {
          throw new GerbangError('VALIDATION_FAILED', '/document: not a JSON host document');
        }
        const { view } = await kit.hosts.put(host, document, actorOf(request, who), { ifAbsent: true });
        return reply
          .code(303)
          .header(
            'location',
            `/konsol/hosts/${encodeURIComponent(view.host)}?saved=1&lang=${kit.langOf(request)}`,
          )
          .send();
      } catch (err) {
        const e = fixable(err);
        return showOnboard(request, reply, who, e.statusCode, {
          values: { host },
          errors: new Map([['', `${e.code}: ${e.message}`]]),
        });
      }
    },
  );
}
