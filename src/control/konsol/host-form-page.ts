/** Konsol's host create/edit page: flat inputs for the simple fields, one YAML/JSON textarea per nested part, errors beside their field. */
import type { FieldErrors } from './host-form-errors.js';
import type { HostFormValues } from './host-form-values.js';
import type { HostFormWords } from './host-form-words.js';
import { csrfField, escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';

export interface HostFormView {
  mode: 'new' | 'edit';
  /** The host being edited (its name is not editable: a new name is a new host). */
  host?: string;
  values: HostFormValues;
  errors: FieldErrors;
  /** Admins may name the owning agency of a new host; a member's host is their agency's. */
  chooseAgency: boolean;
  words: HostFormWords;
}

const idOf = (name: string): string => `f-${name.replace(/\./g, '-')}`;
const errorIdOf = (name: string): string => `e-${name.replace(/\./g, '-')}`;

type Choice = readonly [value: string, label: string];

export function hostFormPage(frame: PageFrame & { user: PageUser }, view: HostFormView): string {
  const { words: w, values, errors } = view;
  const onPage = new Set<string>();
  let focused = false;
  /** The attributes that tie an input to its error, and the first invalid input gets the focus. */
  const invalid = (name: string): { attrs: string; after: string } => {
    onPage.add(name);
    const messages = errors.get(name);
    if (messages === undefined) return { attrs: '', after: '' };
    const focus = focused ? '' : ' autofocus';
    focused = true;
    const list = messages.map((m) => escapeHtml(m)).join('<br>');
    return {
      attrs: ` aria-invalid="true" aria-describedby="${errorIdOf(name)}"${focus}`,
      after: `<p class="error" id="${errorIdOf(name)}">${list}</p>`,
    };
  };
  const value = (name: string) => escapeHtml(values[name] ?? '');
  const label = (name: string, text: string) => `<label for="${idOf(name)}">${escapeHtml(text)}</label>`;
  const input = (name: string, text: string, extra = '') => {
    const e = invalid(name);
    return `${label(name, text)}<input id="${idOf(name)}" name="${name}" value="${value(name)}"${extra}${e.attrs}>${e.after}`;
  };
  const number = (name: string, text: string) => input(name, text, ' inputmode="numeric" maxlength="16"');
  const area = (name: string, text: string, rows: number, hint?: string) => {
    const e = invalid(name);
    const hintHtml = hint ? `<p class="hint" id="h-${idOf(name)}">${escapeHtml(hint)}</p>` : '';
    const describedBy = hint && e.attrs === '' ? ` aria-describedby="h-${idOf(name)}"` : '';
    return `${label(name, text)}${hintHtml}<textarea id="${idOf(name)}" name="${name}" rows="${rows}" spellcheck="false"${describedBy}${e.attrs}>\n${value(name)}</textarea>${e.after}`;
  };
  const check = (name: string, text: string) => {
    const e = invalid(name);
    const checked = values[name] === 'on' ? ' checked' : '';
    return `<label class="check" for="${idOf(name)}"><input type="checkbox" id="${idOf(name)}" name="${name}" value="on"${checked}${e.attrs}>${escapeHtml(text)}</label>${e.after}`;
  };
  const select = (name: string, text: string, choices: readonly Choice[]) => {
    const e = invalid(name);
    const current = values[name] ?? '';
    const known = choices.some(([v]) => v === current);
    // A posted value the page does not offer is kept (and refused by the API), not silently replaced.
    const all = known ? choices : [...choices, [current, current] as const];
    const options = all
      .map(
        ([v, l]) =>
          `<option value="${escapeHtml(v)}"${v === current ? ' selected' : ''}>${escapeHtml(l)}</option>`,
      )
      .join('');
    return `${label(name, text)}<select id="${idOf(name)}" name="${name}"${e.attrs}>${options}</select>${e.after}`;
  };
  const fieldset = (legend: string, body: string) =>
    `<fieldset><legend>${escapeHtml(legend)}</legend>${body}</fieldset>`;
  const onOff: readonly Choice[] = [
    ['', w.default],
    ['on', w.on],
    ['off', w.off],
  ];

  const service =
    view.mode === 'new'
      ? fieldset(
          w.hostSection,
          input('host', w.hostName, ' required maxlength="253" autocomplete="off" spellcheck="false"') +
            (view.chooseAgency ? input('agency', w.agency, ' maxlength="64"') : ''),
        )
      : '';
  const body = [
    service,
    fieldset(w.routesSection, area('routes', w.routes, 10, w.yamlHint)),
    fieldset(
      w.maintenanceSection,
      check('maintenance.enabled', w.maintenanceEnabled) +
        area('maintenance.message', w.maintenanceMessage, 3) +
        input(
          'maintenance.until',
          w.maintenanceUntil,
          ' maxlength="40" placeholder="2026-12-01T20:00:00+08:00"',
        ),
    ),
    fieldset(
      w.httpsSection,
      check('forceHttps', w.forceHttps) +
        select('hsts', w.hsts, [
          ['', w.hstsUnset],
          ['true', w.hstsYear],
          ['false', w.hstsOff],
          ['custom', w.hstsCustom],
        ]) +
        number('hsts.maxAge', w.hstsMaxAge) +
        check('hsts.includeSubDomains', w.hstsSubDomains) +
        check('hsts.preload', w.hstsPreload),
    ),
    fieldset(
      w.appSection,
      input('app.name', w.appName, ' maxlength="120"') +
        area('app.description', w.appDescription, 3) +
        input('app.owner', w.appOwner, ' maxlength="200"') +
        input('app.contact', w.appContact, ' maxlength="200"') +
        input('app.category', w.appCategory, ' maxlength="60"'),
    ),
    fieldset(
      w.cacheSection,
      select('cache.enabled', w.cacheEnabled, onOff) +
        number('cache.maxObjectBytes', w.cacheMaxObjectBytes) +
        number('serveStaleOnError', w.serveStaleOnError) +
        select('compression.enabled', w.compressionEnabled, onOff) +
        number('compression.minBytes', w.compressionMinBytes) +
        number('compression.gzipLevel', w.gzipLevel) +
        number('compression.brotliLevel', w.brotliLevel) +
        number('compression.zstdLevel', w.zstdLevel),
    ),
    fieldset(
      w.policySection,
      select('probeFilter.mode', w.probeFilterMode, [
        ['', w.default],
        ['off', 'off'],
        ['detect', 'detect'],
        ['block', 'block'],
      ]) +
        select('probeFilter.status', w.probeFilterStatus, [
          ['', w.default],
          ['404', '404'],
          ['403', '403'],
        ]) +
        area('aliases', w.aliases, 3, w.yamlHint) +
        area('redirect', w.redirect, 3, w.yamlHint) +
        area('redirects', w.redirects, 3, w.yamlHint) +
        area('access', w.access, 4, w.yamlHint) +
        area('rateLimit', w.rateLimit, 3, w.yamlHint) +
        area('headers', w.headers, 4, w.yamlHint) +
        area('errorPages', w.errorPages, 3, w.yamlHint),
    ),
  ].join('\n');

  // Rendered after the fields, so it knows which errors found no field of their own on this page.
  const summary = errorSummary(w, errors, onPage);
  const lang = frame.lang;
  const action =
    view.mode === 'new'
      ? `/konsol/hosts?lang=${lang}`
      : `/konsol/hosts/${encodeURIComponent(view.host ?? '')}/edit?lang=${lang}`;
  const back =
    view.mode === 'new'
      ? `/konsol/?lang=${lang}`
      : `/konsol/hosts/${encodeURIComponent(view.host ?? '')}?lang=${lang}`;
  const updatedAt =
    view.mode === 'edit' ? `<input type="hidden" name="updatedAt" value="${value('updatedAt')}">` : '';
  const path =
    view.mode === 'new' ? '/konsol/hosts/new' : `/konsol/hosts/${encodeURIComponent(view.host ?? '')}/edit`;
  return layout(
    frame,
    path,
    `${summary}<form method="post" action="${escapeHtml(action)}" novalidate>${csrfField(frame.user.csrf)}${updatedAt}
${body}
<p><button type="submit">${escapeHtml(view.mode === 'new' ? w.create : w.save)}</button> <a href="${escapeHtml(back)}">${escapeHtml(w.cancel)}</a></p>
</form>`,
  );
}

function errorSummary(w: HostFormWords, errors: FieldErrors, onPage: Set<string>): string {
  if (errors.size === 0) return '';
  const items: string[] = [];
  for (const [field, messages] of errors) {
    for (const message of messages) {
      items.push(
        onPage.has(field)
          ? `<li><a href="#${idOf(field)}">${escapeHtml(message)}</a></li>`
          : `<li>${escapeHtml(message)}</li>`,
      );
    }
  }
  return `<div class="card" role="alert"><p class="error">${escapeHtml(w.errorsTitle)}</p><ul>${items.join('')}</ul></div>`;
}
