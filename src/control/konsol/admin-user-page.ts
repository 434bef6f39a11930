/** Konsol's users page: the list with reset, remove-TOTP and delete per user, and the create form. */
import type { AgencyDoc } from '../../model/agency-schema.js';
import type { UserView } from '../users/user-schema.js';
import type { AdminFrame } from './admin-agency-page.js';
import { type FormRefusal, field, noticeOf, refusalSummary } from './admin-fields.js';
import { csrfField, escapeHtml, layout } from './konsol-pages.js';

export const USERS_PATH = '/konsol/admin/pengguna';

/** The create form as typed; the password is never sent back into the page. */
export interface UserFormValues {
  name: string;
  login: string;
  role: string;
}

export interface UsersPageOptions {
  notice?: string;
  values?: UserFormValues;
  refusal?: FormRefusal;
  /** A refused password reset, shown in that user's row. */
  reset?: { userId: string; refusal: FormRefusal };
}

export function roleOptions(
  frame: AdminFrame,
  agencies: readonly AgencyDoc[],
  member: string = frame.admin.roleMember,
): Array<{ value: string; label: string }> {
  const w = frame.admin;
  return [
    ...agencies.map((a) => ({ value: `agency:${a.id}`, label: member.replace('{name}', a.name) })),
    { value: 'admin', label: w.roleAdmin },
  ];
}

function userRow(frame: AdminFrame, user: UserView, options: UsersPageOptions): string {
  const w = frame.admin;
  const base = `${USERS_PATH}/${encodeURIComponent(user.id)}`;
  const csrf = csrfField(frame.user.csrf);
  const refused = options.reset?.userId === user.id ? options.reset.refusal : undefined;
  const reset = `<form method="post" action="${base}/sandi?lang=${frame.lang}">${csrf}
${field({
  name: 'password',
  id: `reset-${user.id}`,
  label: w.newPassword.replace('{login}', user.login),
  hint: refused ? `${w.passwordHint}. ${w.passwordRetype}` : w.passwordHint,
  type: 'password',
  required: true,
  maxlength: 200,
  autocomplete: 'new-password',
  errors: refused ? (refused.fields.password ?? [refused.summary]) : undefined,
})}
<p><button type="submit">${escapeHtml(w.resetPassword)}</button></p></form>`;
  const totp = user.totp
    ? `<form method="post" action="${base}/totp?lang=${frame.lang}">${csrf}<p><button type="submit">${escapeHtml(w.removeTotp)}</button></p></form>`
    : '';
  const h = `h-user-${escapeHtml(user.id)}`;
  return `<section class="card" aria-labelledby="${h}"><h2 id="${h}">${escapeHtml(user.name)}</h2>
<dl><dt>${escapeHtml(w.login)}</dt><dd><code>${escapeHtml(user.login)}</code></dd>
<dt>${escapeHtml(w.role)}</dt><dd><code>${escapeHtml(user.role)}</code></dd>
<dt>${escapeHtml(w.totp)}</dt><dd>${escapeHtml(user.totp ? w.on : w.off)}</dd></dl>
${reset}${totp}<p><a href="${base}/hapus?lang=${frame.lang}">${escapeHtml(w.deleteUser.replace('{login}', user.login))}</a></p></section>`;
}

export function usersPage(
  frame: AdminFrame,
  users: readonly UserView[],
  agencies: readonly AgencyDoc[],
  options: UsersPageOptions = {},
): string {
  const w = frame.admin;
  const list =
    users.length === 0
      ? `<section class="card"><p>${escapeHtml(w.noUsers)}</p></section>`
      : users.map((u) => userRow(frame, u, options)).join('\n');
  const refusal = options.refusal;
  const values = options.values;
  const form = `<section class="card" aria-labelledby="h-new-user"><h2 id="h-new-user">${escapeHtml(w.newUser)}</h2>
${refusalSummary(refusal, refusal ? [w.passwordRetype] : [])}
<form method="post" action="${USERS_PATH}?lang=${frame.lang}">${csrfField(frame.user.csrf)}
${field({ name: 'name', id: 'user-name', label: w.fullName, value: values?.name ?? '', required: true, maxlength: 200, errors: refusal?.fields.name })}
${field({ name: 'login', id: 'user-login', label: w.login, hint: w.loginHint, value: values?.login ?? '', required: true, maxlength: 64, autocomplete: 'off', errors: refusal?.fields.login })}
${field({ name: 'role', id: 'user-role', label: w.role, value: values?.role ?? '', options: roleOptions(frame, agencies), errors: refusal?.fields.role })}
${field({ name: 'password', id: 'user-password', label: w.initialPassword, hint: refusal ? `${w.passwordHint}. ${w.passwordRetype}` : w.passwordHint, type: 'password', required: true, maxlength: 200, autocomplete: 'new-password', errors: refusal?.fields.password })}
<p><button type="submit">${escapeHtml(w.newUser)}</button></p></form></section>`;
  return layout(frame, USERS_PATH, `${noticeOf(options.notice)}${list}${form}`);
}
