/** Konsol's "Akun saya" page: the user's own password and their TOTP second factor (QR code, recovery codes shown once). */
import { renderSVG } from 'uqr';
import { csrfField, escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';

export type TwoFactorState =
  | { kind: 'off' }
  | { kind: 'pending'; secret: string; uri: string }
  | { kind: 'on'; enabledAt: string; recoveryLeft: number };

export interface AccountPageOptions {
  twoFactor: TwoFactorState;
  /** Shown once, right after the enrolment is confirmed. */
  recoveryCodes?: string[];
  notice?: string;
  error?: string;
}

function twoFactorSection(frame: PageFrame & { user: PageUser }, state: TwoFactorState): string {
  const { words, lang, user } = frame;
  const form = (action: string, inner: string, button: string) =>
    `<form method="post" action="/konsol/akun/${action}?lang=${lang}">${csrfField(user.csrf)}${inner}<p><button type="submit">${escapeHtml(button)}</button></p></form>`;
  const codeInput = (label: string) =>
    `<label for="totp-code">${escapeHtml(label)}</label><input id="totp-code" name="code" autocomplete="one-time-code" inputmode="numeric" required maxlength="16">`;
  switch (state.kind) {
    case 'off':
      return `<p>${escapeHtml(words.twoFactorOff)}</p>${form('totp', '', words.twoFactorStart)}`;
    case 'pending':
      // The QR code is inline SVG markup: no image request, nothing the CSP must allow.
      return `<p>${escapeHtml(words.twoFactorScan)}</p>
<div class="qr" role="img" aria-label="QR">${renderSVG(state.uri, { border: 2 })}</div>
<p>${escapeHtml(words.twoFactorKey)}: <code>${escapeHtml(state.secret.replace(/(.{4})/g, '$1 ').trim())}</code></p>
${form('totp/konfirmasi', codeInput(words.code), words.twoFactorConfirm)}`;
    case 'on':
      return `<p>${escapeHtml(words.twoFactorOn.replace('{at}', state.enabledAt.slice(0, 10)).replace('{n}', String(state.recoveryLeft)))}</p>
${form('totp/hapus', codeInput(words.currentCode), words.twoFactorRemove)}`;
  }
}

export function accountPage(frame: PageFrame & { user: PageUser }, options: AccountPageOptions): string {
  const { words, lang, user } = frame;
  const notice = options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : '';
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  const recovery =
    options.recoveryCodes === undefined
      ? ''
      : `<section class="card" aria-labelledby="h-recovery"><h2 id="h-recovery">${escapeHtml(words.recoveryTitle)}</h2>
<p>${escapeHtml(words.recoveryNote)}</p><ul class="codes">${options.recoveryCodes.map((c) => `<li><code>${escapeHtml(c)}</code></li>`).join('')}</ul></section>`;
  const password = `<section class="card" aria-labelledby="h-password"><h2 id="h-password">${escapeHtml(words.changePassword)}</h2>
<form method="post" action="/konsol/akun/sandi?lang=${lang}">${csrfField(user.csrf)}
<input type="hidden" name="login" value="${escapeHtml(user.login)}" autocomplete="username">
<label for="current-password">${escapeHtml(words.currentPassword)}</label>
<input id="current-password" name="currentPassword" type="password" autocomplete="current-password" required maxlength="200">
<label for="new-password">${escapeHtml(words.newPassword)}</label>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" required minlength="12" maxlength="200">
${options.twoFactor.kind === 'on' ? `<label for="password-code">${escapeHtml(words.currentCode)}</label><input id="password-code" name="code" autocomplete="one-time-code" required maxlength="16">` : ''}
<p><button type="submit">${escapeHtml(words.changePassword)}</button></p></form></section>`;
  return layout(
    frame,
    '/konsol/akun',
    `${notice}${error}${recovery}<section class="card" aria-labelledby="h-2fa"><h2 id="h-2fa">${escapeHtml(words.twoFactor)}</h2>
${twoFactorSection(frame, options.twoFactor)}</section>${password}`,
  );
}
