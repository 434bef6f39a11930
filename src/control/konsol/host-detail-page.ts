/** Konsol's page of one host: its live state, its certificate and expiry, a cache purge by prefix, and its audit. */
import type { AuditEntry } from '../audit-log.js';
import type { CertificateListing } from '../certificates/certificate-service.js';
import type { KeptFinding } from '../defacement/findings-record.js';
import type { TrafficReport } from '../usage/traffic-report.js';
import { hostDefacementSection } from './defacement-section.js';
import { hostFormWordsOf } from './host-form-words.js';
import {
  csrfField,
  escapeHtml,
  layout,
  type PageFrame,
  type PageUser,
  type ServiceCard,
  serviceCard,
} from './konsol-pages.js';
import { hostTrafficSection } from './traffic-page.js';

export interface HostDetail {
  card: ServiceCard;
  /** Absent when certificates are not managed here; null when the host has none yet. */
  certificate?: CertificateListing | null;
  /** Whether the cache can be purged from here. */
  purge: boolean;
  audit: AuditEntry[];
  notice?: string;
  /** The host's latest defacement findings (GET /v1/defacement's reading); absent = no such section. */
  defacement?: readonly KeptFinding[];
  /** The host's last hours from GET /v1/reports/traffic's reading; absent = no traffic section. */
  traffic?: TrafficReport;
}

const DAY_MS = 86_400_000;

function certificateSection(frame: PageFrame, cert: CertificateListing | null, now: number): string {
  const { words } = frame;
  if (cert === null || cert.notAfter === null) {
    const error = cert?.lastError ? ` <span class="error">${escapeHtml(cert.lastError)}</span>` : '';
    return `<p>${escapeHtml(words.noCertificate)}${error}</p>`;
  }
  const days = Math.floor((Date.parse(cert.notAfter) - now) / DAY_MS);
  const soon = days < 14 ? ' class="status-down"' : ' class="status-up"';
  return `<dl>
<dt>${escapeHtml(words.certIssuer)}</dt><dd>${escapeHtml(cert.issuer ?? '-')} (${escapeHtml(cert.source ?? '-')})</dd>
<dt>${escapeHtml(words.certNames)}</dt><dd>${cert.names.map((n) => `<code>${escapeHtml(n)}</code>`).join(', ')}</dd>
<dt>${escapeHtml(words.certExpires)}</dt><dd><strong${soon} data-days-left="${days}">${escapeHtml(cert.notAfter.slice(0, 10))}</strong> (${escapeHtml(words.daysLeft.replace('{n}', String(days)))})</dd>
</dl>${cert.lastError ? `<p class="error">${escapeHtml(cert.lastError)}</p>` : ''}`;
}

function auditSection(frame: PageFrame, entries: AuditEntry[]): string {
  const { words } = frame;
  if (entries.length === 0) return `<p>${escapeHtml(words.noAudit)}</p>`;
  const rows = entries
    .map(
      (e) =>
        `<tr><td><time datetime="${escapeHtml(e.at)}">${escapeHtml(e.at.slice(0, 19).replace('T', ' '))}</time></td><td><code>${escapeHtml(e.action)}</code></td><td>${escapeHtml(e.tokenId)}</td><td>${escapeHtml(e.ip)}</td></tr>`,
    )
    .join('');
  return `<div class="scroll"><table><thead><tr><th scope="col">${escapeHtml(words.auditAt)}</th><th scope="col">${escapeHtml(words.auditAction)}</th><th scope="col">${escapeHtml(words.auditWho)}</th><th scope="col">IP</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

export function hostDetailPage(
  frame: PageFrame & { user: PageUser },
  detail: HostDetail,
  now = Date.now(),
): string {
  const { words, lang, user } = frame;
  const host = detail.card.host;
  const note = detail.notice ? `<p class="notice" role="status">${escapeHtml(detail.notice)}</p>` : '';
  const cert =
    detail.certificate === undefined
      ? ''
      : `<section class="card" aria-labelledby="h-cert"><h2 id="h-cert">${escapeHtml(words.certificate)}</h2>${certificateSection(frame, detail.certificate, now)}</section>`;
  const purge = detail.purge
    ? `<section class="card" aria-labelledby="h-purge"><h2 id="h-purge">${escapeHtml(words.purge)}</h2>
<form method="post" action="/konsol/hosts/${encodeURIComponent(host)}/purge?lang=${lang}">${csrfField(user.csrf)}
<label for="prefix">${escapeHtml(words.purgePrefix)}</label>
<input id="prefix" name="prefix" value="/" required maxlength="2048" pattern="/[^\\s#]*">
<p><button type="submit">${escapeHtml(words.purgeButton)}</button></p></form></section>`
    : '';
  return layout(
    frame,
    `/konsol/hosts/${encodeURIComponent(host)}`,
    `${note}<p><a href="/konsol/hosts/${encodeURIComponent(host)}/edit?lang=${lang}">${escapeHtml(hostFormWordsOf(lang).edit)}</a></p>${serviceCard(frame, detail.card)}${detail.traffic ? hostTrafficSection(lang, host, detail.traffic) : ''}${detail.defacement ? hostDefacementSection(lang, detail.defacement) : ''}${cert}${purge}
<section class="card" aria-labelledby="h-audit"><h2 id="h-audit">${escapeHtml(words.audit)}</h2>${auditSection(frame, detail.audit)}</section>`,
  );
}
