/** Konsol's certificate page: every certificate the user may see, renew buttons, and the upload form with its errors beside the field. */
import type { CertificateListing } from '../certificates/certificate-service.js';
import { CERT_WORDS, type CertWords } from './cert-words.js';
import { csrfField, escapeHtml, layout, type PageFrame, type PageUser } from './konsol-pages.js';

const DAY_MS = 86_400_000;

/** Which upload field an error names: the API's messages start with the field's JSON pointer. */
export type UploadField = 'host' | 'certificate' | 'key';

export interface UploadForm {
  host: string;
  certificate: string;
  key: string;
  error?: { field: UploadField; message: string };
}

export interface CertPageOptions {
  certificates: CertificateListing[];
  /** Hosts offered in the upload form's list (the user's own; an admin may type any registered name). */
  hosts: string[];
  upload?: UploadForm;
  notice?: string;
  error?: string;
}

function sourceOf(words: CertWords, cert: CertificateListing): string {
  if (cert.source === 'acme') return words.sourceAcme;
  if (cert.source === 'uploaded') return words.sourceUploaded;
  return words.sourceNone;
}

function certCard(
  frame: PageFrame & { user: PageUser },
  words: CertWords,
  cert: CertificateListing,
  now: number,
): string {
  const host = escapeHtml(cert.host);
  const id = `c-${cert.host.replace(/[^a-z0-9-]/gi, '_')}`;
  const days = cert.notAfter === null ? null : Math.floor((Date.parse(cert.notAfter) - now) / DAY_MS);
  const expiry =
    days === null || cert.notAfter === null
      ? '-'
      : `<strong class="status-${days < 14 ? 'down' : 'up'}" data-days-left="${days}">${escapeHtml(cert.notAfter.slice(0, 10))}</strong> (${escapeHtml(words.daysLeft.replace('{n}', String(days)))})`;
  const action = `/konsol/sertifikat/${encodeURIComponent(cert.host)}/perbarui?lang=${frame.lang}`;
  return `<section class="card" aria-labelledby="${id}" data-host="${host}">
<h2 id="${id}">${host}</h2>
<dl>
<dt>${escapeHtml(words.names)}</dt><dd>${cert.names.length === 0 ? '-' : cert.names.map((n) => `<code>${escapeHtml(n)}</code>`).join(', ')}</dd>
<dt>${escapeHtml(words.issuer)}</dt><dd>${escapeHtml(cert.issuer ?? '-')}</dd>
<dt>${escapeHtml(words.expires)}</dt><dd>${expiry}</dd>
<dt>${escapeHtml(words.source)}</dt><dd data-source="${escapeHtml(cert.source ?? 'none')}">${escapeHtml(sourceOf(words, cert))}</dd>
${cert.lastError ? `<dt>${escapeHtml(words.lastError)}</dt><dd class="error">${escapeHtml(cert.lastError)}</dd>` : ''}
</dl>
<form method="post" action="${escapeHtml(action)}">${csrfField(frame.user.csrf)}
<button type="submit" aria-label="${escapeHtml(words.renewLabel.replace('{host}', cert.host))}">${escapeHtml(words.renew)}</button>
</form>
</section>`;
}

function fieldError(form: UploadForm | undefined, field: UploadField): { attrs: string; html: string } {
  const error = form?.error;
  if (error === undefined || error.field !== field) return { attrs: '', html: '' };
  return {
    attrs: ` aria-invalid="true" aria-describedby="err-${field}"`,
    html: `<p class="error" id="err-${field}" role="alert">${escapeHtml(error.message)}</p>`,
  };
}

function uploadSection(
  frame: PageFrame & { user: PageUser },
  words: CertWords,
  options: CertPageOptions,
): string {
  const form = options.upload;
  const host = fieldError(form, 'host');
  const cert = fieldError(form, 'certificate');
  const key = fieldError(form, 'key');
  const list = options.hosts.map((h) => `<option value="${escapeHtml(h)}"></option>`).join('');
  return `<section class="card" aria-labelledby="h-upload"><h2 id="h-upload">${escapeHtml(words.uploadTitle)}</h2>
<p>${escapeHtml(words.uploadNote)}</p>
<form method="post" action="/konsol/sertifikat?lang=${frame.lang}">${csrfField(frame.user.csrf)}
<label for="cert-host">${escapeHtml(words.uploadHost)}</label>
<input id="cert-host" name="host" required maxlength="300" list="cert-hosts" autocomplete="off" value="${escapeHtml(form?.host ?? '')}"${host.attrs}>
<datalist id="cert-hosts">${list}</datalist>${host.html}
<label for="cert-pem">${escapeHtml(words.uploadCertificate)}</label>
<textarea id="cert-pem" name="certificate" required rows="8" spellcheck="false"${cert.attrs}>${escapeHtml(form?.certificate ?? '')}</textarea>${cert.html}
<label for="cert-key">${escapeHtml(words.uploadKey)}</label>
<textarea id="cert-key" name="key" required rows="6" spellcheck="false" autocomplete="off"${key.attrs}>${escapeHtml(form?.key ?? '')}</textarea>${key.html}
<p><button type="submit">${escapeHtml(words.uploadButton)}</button></p>
</form></section>`;
}

export function certificatesPage(
  frame: PageFrame & { user: PageUser },
  options: CertPageOptions,
  now = Date.now(),
): string {
  const words = CERT_WORDS[frame.lang];
  const notice = options.notice ? `<p class="notice" role="status">${escapeHtml(options.notice)}</p>` : '';
  const error = options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : '';
  const cards =
    options.certificates.length === 0
      ? `<p>${escapeHtml(words.none)}</p>`
      : options.certificates.map((c) => certCard(frame, words, c, now)).join('\n');
  return layout(
    frame,
    '/konsol/sertifikat',
    `${notice}${error}${cards}${uploadSection(frame, words, options)}`,
  );
}
