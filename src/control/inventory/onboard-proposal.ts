/** Turns a probe report into the host document that registers the portal behind Gerbang (valid for PUT /v1/hosts). */
import { isIP } from 'node:net';
import { isDnsName, normalizeRegisteredHost } from '../../model/host-name.js';
import type { HostBody } from '../../model/host-schema.js';
import type { ProbeReport } from './onboard-probe.js';

export interface OnboardProposal {
  host: string;
  document: HostBody;
  /** What to look at before the move (expired certificate, version banners, no cache headers). */
  notes: string[];
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** The name the portal gets: the one asked for, its own when it is in a zone already, else one from its name or title. */
function proposedHost(report: ProbeReport, zones: readonly string[], asked: string | undefined): string {
  const zone = zones[0] ?? 'localhost';
  if (asked !== undefined) return normalizeRegisteredHost(asked, zones);
  const hostname = new URL(report.url).hostname.toLowerCase();
  if (isIP(hostname.replace(/^\[|\]$/g, '')) === 0 && isDnsName(hostname)) {
    try {
      return normalizeRegisteredHost(hostname, zones);
    } catch {
      const label = slug(hostname.split('.')[0] ?? '');
      if (label) return `${label}.${zone}`;
    }
  }
  return `${slug(report.title ?? '') || 'layanan-baru'}.${zone}`;
}

export function proposeHost(
  report: ProbeReport,
  zones: readonly string[],
  options: { host?: string | undefined; agency?: string | undefined },
): OnboardProposal {
  const host = proposedHost(report, zones, options.host);
  // The backend is where the portal answers now; a redirect to https on the same server moves the target there.
  const target = new URL(report.finalUrl ?? report.url).origin;
  const document: HostBody = {
    ...(options.agency !== undefined ? { agency: options.agency } : {}),
    routes: [{ path: '/', targets: [target] }],
    app: { name: report.title ?? host },
    forceHttps: true,
  };
  const notes: string[] = [];
  if (!report.reachable) notes.push(`not reachable now (${report.error ?? 'no answer'})`);
  else if (report.error) notes.push(report.error);
  if (report.status !== undefined && report.status >= 400) notes.push(`answers ${report.status}`);
  for (const leak of report.versionLeaks)
    notes.push(`version banner ${leak}: removed by Gerbang's default header policy`);
  if (report.certificate && !report.certificate.valid)
    notes.push(`certificate not trusted (${report.certificate.error ?? 'unknown'}): Gerbang serves its own`);
  if ((report.certificate?.daysLeft ?? 1) < 0) notes.push('certificate expired');
  if (report.reachable && report.cache['cache-control'] === undefined && report.cache.expires === undefined)
    notes.push('no cache headers: the shared cache stores only what the backend allows');
  if (report.title === undefined) notes.push('no page title: set app.name');
  return { host, document, notes };
}
