/** Konsol's agencies page (list, create, edit, delete confirmation): server-rendered, every value escaped. */
import type { AgencyDoc } from '../../model/agency-schema.js';
import { type FormRefusal, field, noticeOf, refusalSummary } from './admin-fields.js';
import type { AdminWords } from './admin-words.js';
import { csrfField, escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';

export const AGENCIES_PATH = '/konsol/admin/instansi';

export type AdminFrame = PageFrame & { user: PageUser; admin: AdminWords };

/** What the agency form holds: as typed, so a refusal loses nothing. */
export interface AgencyFormValues {
  id: string;
  name: string;
  contact: string;
  owns: string;
}

export function agencyFormValues(doc: AgencyDoc): AgencyFormValues {
  return { id: doc.id, name: doc.name, contact: doc.contact, owns: doc.owns.join('\n') };
}

function agencyFields(
  frame: AdminFrame,
  values: AgencyFormValues | undefined,
  refusal: FormRefusal | undefined,
  withId: boolean,
): string {
  const w = frame.admin;
  const err = (name: string) => refusal?.fields[name];
  return [
    withId
      ? field({
          name: 'id',
          id: 'agency-id',
          label: w.agencyId,
          hint: w.agencyIdHint,
          value: values?.id ?? '',
          required: true,
          maxlength: 64,
          errors: err('id'),
        })
      : '',
    field({
      name: 'name',
      id: 'agency-name',
      label: w.agencyName,
      value: values?.name ?? '',
      required: true,
      maxlength: 200,
      errors: err('name'),
    }),
    field({
      name: 'contact',
      id: 'agency-contact',
      label: w.contact,
      value: values?.contact ?? '',
      required: true,
      maxlength: 200,
      errors: err('contact'),
    }),
    field({
      name: 'owns',
      id: 'agency-owns',
      label: w.owns,
      hint: w.ownsHint,
      value: values?.owns ?? '',
      type: 'textarea',
      errors: err('owns'),
    }),
  ].join('\n');
}

export function agenciesPage(
  frame: AdminFrame,
  agencies: readonly AgencyDoc[],
  options: { notice?: string; values?: AgencyFormValues; refusal?: FormRefusal } = {},
): string {
  const w = frame.admin;
  const lang = frame.lang;
  const cards = agencies.map((a) => {
    const base = `${AGENCIES_PATH}/${encodeURIComponent(a.id)}`;
    const h = `h-agency-${escapeHtml(a.id)}`;
    return `<section class="card" aria-labelledby="${h}"><h2 id="${h}">${escapeHtml(a.name)}</h2>
<dl><dt>${escapeHtml(w.agencyId)}</dt><dd><code>${escapeHtml(a.id)}</code></dd>
<dt>${escapeHtml(w.contact)}</dt><dd>${escapeHtml(a.contact)}</dd>
<dt>${escapeHtml(w.owns)}</dt><dd>${a.owns.map((n) => `<code>${escapeHtml(n)}</code>`).join('<br>') || '-'}</dd></dl>
<p><a href="${base}?lang=${lang}">${escapeHtml(w.edit)} ${escapeHtml(a.id)}</a> · <a href="${base}/hapus?lang=${lang}">${escapeHtml(w.delete)} ${escapeHtml(a.id)}</a></p></section>`;
  });
  const list =
    cards.length === 0
      ? `<section class="card"><p>${escapeHtml(w.noAgencies)}</p></section>`
      : cards.join('\n');
  const form = `<section class="card" aria-labelledby="h-new-agency"><h2 id="h-new-agency">${escapeHtml(w.newAgency)}</h2>
${refusalSummary(options.refusal, [])}
<form method="post" action="${AGENCIES_PATH}?lang=${lang}">${csrfField(frame.user.csrf)}
${agencyFields(frame, options.values, options.refusal, true)}
<p><button type="submit">${escapeHtml(w.newAgency)}</button></p></form></section>`;
  return layout(frame, AGENCIES_PATH, `${noticeOf(options.notice)}${list}${form}`);
}

export function agencyEditPage(
  frame: AdminFrame,
  id: string,
  values: AgencyFormValues,
  refusal?: FormRefusal,
): string {
  const w = frame.admin;
  const path = `${AGENCIES_PATH}/${encodeURIComponent(id)}`;
  return layout(
    frame,
    path,
    `<section class="card">${refusalSummary(refusal, [])}
<form method="post" action="${path}?lang=${frame.lang}">${csrfField(frame.user.csrf)}
${agencyFields(frame, values, refusal, false)}
<p><button type="submit">${escapeHtml(w.save)}</button> <a href="${AGENCIES_PATH}?lang=${frame.lang}">${escapeHtml(w.cancel)}</a></p></form></section>`,
  );
}

/** One page for "delete X?" of one thing on an admin list: the POST (to the same path) is its only button, the way back a link. */
export function confirmPage(
  frame: AdminFrame,
  listPath: string,
  id: string,
  note: string,
  error?: string,
): string {
  const w = frame.admin;
  const path = `${listPath}/${encodeURIComponent(id)}/hapus`;
  const action = `${path}?lang=${frame.lang}`;
  const back = `${listPath}?lang=${frame.lang}`;
  const alert = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return layout(
    frame,
    path,
    `<section class="card">${alert}<p>${escapeHtml(note)}</p>
<form method="post" action="${escapeHtml(action)}">${csrfField(frame.user.csrf)}
<p><button type="submit">${escapeHtml(w.confirmDelete)}</button> <a href="${escapeHtml(back)}">${escapeHtml(w.cancel)}</a></p></form></section>`,
  );
}
