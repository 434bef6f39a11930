/** Konsol's tokens page: the list with revoke, the create form, and the one page that shows a new secret. */
import type { AgencyDoc, CreatedToken, TokenView } from '../../model/agency-schema.js';
import type { AdminFrame } from './admin-agency-page.js';
import { type FormRefusal, field, noticeOf, refusalSummary } from './admin-fields.js';
import { roleOptions } from './admin-user-page.js';
import { csrfField, escapeHtml, layout } from './konsol-pages.js';

export const TOKENS_PATH = '/konsol/admin/token';

export interface TokenFormValues {
  scope: string;
  note: string;
  expiresAt: string;
}

export interface TokensPageOptions {
  notice?: string;
  values?: TokenFormValues;
  refusal?: FormRefusal;
  /** Right after a create: the secret, in this answer only (never stored, never in a URL). */
  created?: CreatedToken;
}

function tokenRow(frame: AdminFrame, token: TokenView): string {
  const w = frame.admin;
  const action = `${TOKENS_PATH}/${encodeURIComponent(token.id)}/hapus?lang=${frame.lang}`;
  const h = `h-token-${escapeHtml(token.id)}`;
  return `<section class="card" aria-labelledby="${h}"><h2 id="${h}"><code>${escapeHtml(token.id)}</code></h2>
<dl><dt>${escapeHtml(w.scope)}</dt><dd><code>${escapeHtml(token.scope)}</code></dd>
<dt>${escapeHtml(w.note)}</dt><dd>${escapeHtml(token.note)}</dd>
<dt>${escapeHtml(w.created)}</dt><dd>${escapeHtml(token.createdAt)} (<code>${escapeHtml(token.createdBy)}</code>)</dd>
<dt>${escapeHtml(w.expires)}</dt><dd>${escapeHtml(token.expiresAt ?? w.never)}</dd></dl>
<form method="post" action="${action}">${csrfField(frame.user.csrf)}<button type="submit">${escapeHtml(w.revoke)} ${escapeHtml(token.id)}</button></form></section>`;
}

export function tokensPage(
  frame: AdminFrame,
  tokens: readonly TokenView[],
  agencies: readonly AgencyDoc[],
  options: TokensPageOptions = {},
): string {
  const w = frame.admin;
  const created = options.created;
  const secret = created
    ? `<section class="card" aria-labelledby="h-secret"><h2 id="h-secret">${escapeHtml(w.secretTitle.replace('{id}', created.id))}</h2>
<p class="notice" role="status">${escapeHtml(w.saved)} ${escapeHtml(w.secretNote)}</p>
<p><code data-secret>${escapeHtml(created.secret)}</code></p></section>`
    : '';
  const list =
    tokens.length === 0
      ? `<p>${escapeHtml(w.noTokens)}</p>`
      : tokens.map((t) => tokenRow(frame, t)).join('\n');
  const refusal = options.refusal;
  const values = options.values;
  const form = `<section class="card" aria-labelledby="h-new-token"><h2 id="h-new-token">${escapeHtml(w.newToken)}</h2>
${refusalSummary(refusal, [])}
<form method="post" action="${TOKENS_PATH}?lang=${frame.lang}">${csrfField(frame.user.csrf)}
${field({ name: 'scope', id: 'token-scope', label: w.scope, value: values?.scope ?? '', options: roleOptions(frame, agencies, w.scopeAgency), errors: refusal?.fields.scope })}
${field({ name: 'note', id: 'token-note', label: w.note, value: values?.note ?? '', required: true, maxlength: 200, errors: refusal?.fields.note })}
${field({ name: 'expiresAt', id: 'token-expires', label: w.expires, hint: w.expiresHint, value: values?.expiresAt ?? '', maxlength: 40, errors: refusal?.fields.expiresAt })}
<p><button type="submit">${escapeHtml(w.newToken)}</button></p></form></section>`;
  return layout(
    frame,
    TOKENS_PATH,
    `${noticeOf(options.notice)}${secret}<p>${escapeHtml(w.lastUsedNotKept)}</p>${list}${form}`,
  );
}
