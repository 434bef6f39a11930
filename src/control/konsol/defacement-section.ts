/** The defacement section of Konsol's host page: the host's latest findings, as GET /v1/defacement?host= gives them. */
import type { KeptFinding } from '../defacement/findings-record.js';
import { defacementWordsOf } from './defacement-words.js';
import type { Lang } from './konsol-i18n.js';
import { escapeHtml } from './konsol-pages.js';

export function hostDefacementSection(lang: Lang, findings: readonly KeptFinding[]): string {
  const w = defacementWordsOf(lang);
  const body =
    findings.length === 0
      ? `<p class="status-up">${escapeHtml(w.none)}</p>`
      : `<p class="status-down" role="alert">${escapeHtml(w.intro)}</p><div class="scroll"><table><thead><tr><th scope="col">${escapeHtml(w.url)}</th><th scope="col">${escapeHtml(w.rule)}</th><th scope="col">${escapeHtml(w.evidence)}</th><th scope="col">${escapeHtml(w.lastSeen)}</th><th scope="col">${escapeHtml(w.count)}</th></tr></thead><tbody>${findings
          .map(
            (f) =>
              `<tr><td><code>${escapeHtml(f.url)}</code></td><td><code>${escapeHtml(f.rule)}</code></td><td>${escapeHtml(f.evidence)}</td><td><time datetime="${escapeHtml(f.lastSeen)}">${escapeHtml(f.lastSeen.slice(0, 19).replace('T', ' '))}</time></td><td>${f.count}</td></tr>`,
          )
          .join('')}</tbody></table></div>`;
  return `<section class="card" aria-labelledby="h-defacement"><h2 id="h-defacement">${escapeHtml(w.title)}</h2>${body}</section>`;
}
