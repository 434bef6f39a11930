/** Konsol's server-rendered pages: plain HTML strings with every value escaped, one stylesheet, no script. */
import { adminNavLinks } from './admin-nav.js';
import { CERT_WORDS } from './cert-words.js';
import { hostFormWordsOf } from './host-form-words.js';
import { INVENTORY_WORDS } from './inventory-words.js';
import { KONSOL_CSS_PATH } from './konsol-css.js';
import type { Lang, Words } from './konsol-i18n.js';
import { STORE_WORDS } from './store-words.js';
import { TRAFFIC_WORDS } from './traffic-words.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface PageUser {
  name: string;
  login: string;
  csrf: string;
  /** Admins see the admin-only links. */
  admin?: boolean;
}

export interface PageFrame {
  lang: Lang;
  words: Words;
  title: string;
  /** The signed-in user: shows their name and the logout form. */
  user?: PageUser;
}

function langSwitch(frame: PageFrame, path: string): string {
  const other = frame.lang === 'id' ? 'en' : 'id';
  return `<a href="${escapeHtml(`${path}?lang=${other}`)}" hreflang="${other}" lang="${other}">${escapeHtml(frame.words.language)}</a>`;
}

/** The signed-in user's links: one line per page, admin-only ones behind `admin`. */
function navLinks(frame: PageFrame, user: PageUser): string {
  const { lang, words } = frame;
  const links: Array<[string, string]> = [
    ['/konsol/', words.myServices],
    ['/konsol/sertifikat', CERT_WORDS[lang].nav],
    ['/konsol/inventaris', INVENTORY_WORDS[lang].navInventory],
    ['/konsol/onboard', INVENTORY_WORDS[lang].navOnboard],
    ['/konsol/lalu-lintas', TRAFFIC_WORDS[lang].nav],
    ...(user.admin ? ([['/konsol/admin/sistem', STORE_WORDS[lang].nav]] as Array<[string, string]>) : []),
    ...(user.admin ? adminNavLinks(lang) : []),
  ];
  return links.map(([href, text]) => `<a href="${href}?lang=${lang}">${escapeHtml(text)}</a>`).join('');
}

/** A hidden CSRF field: every form of a session carries its synchronizer token. */
export function csrfField(token: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(token)}">`;
}

export function layout(frame: PageFrame, path: string, body: string): string {
  const { words, user } = frame;
  const account = user
    ? `<span>${escapeHtml(words.signedInAs)} <a href="/konsol/akun?lang=${frame.lang}">${escapeHtml(user.name)}</a></span>
<form class="inline" method="post" action="/konsol/logout">${csrfField(user.csrf)}<button type="submit">${escapeHtml(words.signOut)}</button></form>`
    : '';
  return `<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)} · ${escapeHtml(words.console)}</title>
<link rel="stylesheet" href="${KONSOL_CSS_PATH}">
</head>
<body>
<header><strong>${escapeHtml(words.console)}</strong><nav aria-label="${escapeHtml(words.console)}">${user ? navLinks(frame, user) : ''}${langSwitch(frame, path)}</nav>${account}</header>
<main>
<h1>${escapeHtml(frame.title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function loginPage(
  frame: PageFrame,
  options: { csrf: string; login?: string; error?: string; notice?: string },
): string {
  const { words } = frame;
  const error = options.error
    ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>`
    : options.notice
      ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>`
      : '';
  return layout(
    frame,
    '/konsol/login',
    `<div class="card">${error}
<form method="post" action="/konsol/login?lang=${frame.lang}">
${csrfField(options.csrf)}
<label for="login">${escapeHtml(words.login)}</label>
<input id="login" name="login" autocomplete="username" required maxlength="64" value="${escapeHtml(options.login ?? '')}">
<label for="password">${escapeHtml(words.password)}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<label for="code">${escapeHtml(words.code)}</label>
<input id="code" name="code" autocomplete="one-time-code" inputmode="numeric" maxlength="16">
<p><button type="submit">${escapeHtml(words.signIn)}</button></p>
</form></div>`,
  );
}

export interface ServiceTarget {
  target: string;
  up: boolean;
  condition: string;
}

export interface ServiceCard {
  host: string;
  status: 'up' | 'down' | 'maintenance';
  maintenance: boolean;
  routes: Array<{ path: string; targets: ServiceTarget[] }>;
}

export function servicesPage(
  frame: PageFrame & { user: PageUser },
  cards: ServiceCard[],
  notice?: string,
): string {
  const { words } = frame;
  const list = cards.map((card) => serviceCard(frame, card)).join('\n');
  const note = notice ? `<p class="notice" role="status">${escapeHtml(notice)}</p>` : '';
  const add = `<p><a href="/konsol/hosts/new?lang=${frame.lang}">${escapeHtml(hostFormWordsOf(frame.lang).addService)}</a></p>`;
  return layout(
    frame,
    '/konsol/',
    `${note}${add}${cards.length === 0 ? `<p>${escapeHtml(words.noHosts)}</p>` : list}`,
  );
}

export function serviceCard(frame: PageFrame & { user: PageUser }, card: ServiceCard): string {
  const { words } = frame;
  const host = escapeHtml(card.host);
  const routes = card.routes
    .map(
      (route) =>
        `<p><code>${escapeHtml(route.path)}</code></p><ul class="targets">${route.targets
          .map(
            (t) =>
              `<li><code>${escapeHtml(t.target)}</code>: <span class="status-${t.up ? 'up' : 'down'}">${escapeHtml(t.up ? words.up : words.down)}</span> (${escapeHtml(t.condition)})</li>`,
          )
          .join('')}</ul>`,
    )
    .join('');
  const action = `/konsol/hosts/${encodeURIComponent(card.host)}/maintenance?lang=${frame.lang}`;
  const label = card.maintenance ? words.maintenanceOff : words.maintenanceOn;
  return `<section class="card" aria-labelledby="h-${host}">
<h2 id="h-${host}"><a href="/konsol/hosts/${encodeURIComponent(card.host)}?lang=${frame.lang}">${host}</a></h2>
<p>${escapeHtml(words.status)}: <strong class="status-${card.status}" data-status="${card.status}">${escapeHtml(words[card.status])}</strong></p>
<h3>${escapeHtml(words.targets)}</h3>
${routes}
<form method="post" action="${escapeHtml(action)}">${csrfField(frame.user.csrf)}
<input type="hidden" name="enabled" value="${card.maintenance ? 'off' : 'on'}">
<button type="submit">${escapeHtml(label)}</button>
</form>
</section>`;
}

export function messagePage(frame: PageFrame, message: string): string {
  return layout(
    frame,
    '/konsol/',
    `<p class="error" role="alert">${escapeHtml(message)}</p><p><a href="/konsol/?lang=${frame.lang}">${escapeHtml(frame.words.back)}</a></p>`,
  );
}
