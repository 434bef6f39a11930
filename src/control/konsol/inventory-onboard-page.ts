/** Konsol's /konsol/onboard page: the probe form, what the probe found, and the proposal with its "create" button. */
import type { ProbeReport } from '../inventory/onboard-probe.js';
import type { OnboardProposal } from '../inventory/onboard-proposal.js';
import type { InventoryWords } from './inventory-words.js';
import { csrfField, escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';

export interface OnboardPageOptions {
  words: InventoryWords;
  /** Admins name the agency the host is for; a member's is their own. */
  chooseAgency: boolean;
  values: { url?: string; host?: string; agency?: string };
  /** Refusals by form field (`url`, `host`, `agency`, `''` for the page). */
  errors: Map<string, string>;
  result?: { probe: ProbeReport; proposal: OnboardProposal };
  notice?: string;
}

const e = escapeHtml;

function field(
  name: string,
  label: string,
  value: string | undefined,
  errors: Map<string, string>,
  attrs: string,
): string {
  const error = errors.get(name);
  const described = error ? ` aria-invalid="true" aria-describedby="err-${name}"` : '';
  return `<label for="f-${name}">${e(label)}</label><input id="f-${name}" name="${name}" value="${e(value ?? '')}"${described} ${attrs}>${error ? `<p class="error" id="err-${name}">${e(error)}</p>` : ''}`;
}

function facts(words: InventoryWords, probe: ProbeReport): string {
  const rows: Array<[string, string]> = [[words.reachable, probe.reachable ? words.yes : words.no]];
  if (probe.error) rows.push([words.problem, probe.error]);
  if (probe.status !== undefined) rows.push([words.status, String(probe.status)]);
  if (probe.finalUrl) rows.push([words.finalUrl, probe.finalUrl]);
  rows.push([
    words.redirects,
    probe.redirects.length === 0
      ? words.none
      : probe.redirects.map((h) => `${h.status} ${h.url} → ${h.location ?? ''}`).join('\n'),
  ]);
  const c = probe.certificate;
  if (c) {
    const parts = [c.valid ? words.certValid : `${words.certInvalid}${c.error ? ` (${c.error})` : ''}`];
    if (c.subject) parts.push(c.subject);
    if (c.issuer) parts.push(`${words.issuer}: ${c.issuer}`);
    if (c.validTo)
      parts.push(
        words.expires.replace('{at}', c.validTo.slice(0, 10)).replace('{n}', String(c.daysLeft ?? '')),
      );
    rows.push([words.certificate, parts.join('\n')]);
  }
  if (probe.server || probe.poweredBy)
    rows.push([words.server, [probe.server, probe.poweredBy].filter(Boolean).join(' · ')]);
  rows.push([words.leaks, probe.versionLeaks.length === 0 ? words.none : probe.versionLeaks.join('\n')]);
  if (probe.title) rows.push([words.title, probe.title]);
  const cache = Object.entries(probe.cache);
  rows.push([
    words.cacheHeaders,
    cache.length === 0 ? words.none : cache.map(([k, v]) => `${k}: ${v}`).join('\n'),
  ]);
  if (probe.responseMs !== undefined) rows.push([words.responseTime, `${probe.responseMs} ms`]);
  return `<dl data-probe>${rows.map(([k, v]) => `<dt>${e(k)}</dt><dd>${e(v).replace(/\n/g, '<br>')}</dd>`).join('')}</dl>`;
}

export function onboardPage(frame: PageFrame & { user: PageUser }, o: OnboardPageOptions): string {
  const { lang, user } = frame;
  const w = o.words;
  const pageError = o.errors.get('');
  const top = `${o.notice ? `<p class="notice" role="status">${e(o.notice)}</p>` : ''}${pageError ? `<p class="error" role="alert">${e(pageError)}</p>` : ''}`;
  const form = `<section class="card" aria-labelledby="h-probe"><h2 id="h-probe">${e(w.probe)}</h2><p class="hint">${e(w.onboardIntro)}</p>
<form method="post" action="/konsol/onboard?lang=${lang}">${csrfField(user.csrf)}
${field('url', w.portalUrl, o.values.url, o.errors, 'type="url" required maxlength="2048" inputmode="url"')}
${field('host', w.proposedName, o.values.host, o.errors, 'maxlength="253"')}
${o.chooseAgency ? field('agency', w.agencyForHost, o.values.agency, o.errors, 'maxlength="64"') : ''}
<p><button type="submit">${e(w.probe)}</button></p></form></section>`;
  let result = '';
  if (o.result) {
    const { probe, proposal } = o.result;
    const document = JSON.stringify(proposal.document, null, 2);
    result = `<section class="card" aria-labelledby="h-found"><h2 id="h-found">${e(w.findings)}</h2>${facts(w, probe)}</section>
<section class="card" aria-labelledby="h-proposal"><h2 id="h-proposal">${e(w.proposal)}</h2>
<p><code data-proposed-host>${e(proposal.host)}</code></p><div class="scroll"><pre>${e(document)}</pre></div>
${proposal.notes.length > 0 ? `<h3>${e(w.notes)}</h3><ul>${proposal.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
<form method="post" action="/konsol/onboard/buat?lang=${lang}">${csrfField(user.csrf)}
<input type="hidden" name="host" value="${e(proposal.host)}"><input type="hidden" name="document" value="${e(JSON.stringify(proposal.document))}">
<p><button type="submit">${e(w.create)}</button></p></form></section>`;
  }
  return layout(frame, '/konsol/onboard', `${top}${form}${result}`);
}
