/** Hosts under maintenance: the branded 503 page, rendered once per listener and language, answered without touching the backend. */
import { DEFAULT_MAINTENANCE_RETRY_AFTER_S, DEFAULT_TIME_ZONE } from '../../config/defaults.js';
import type { ErrorPageTexts } from '../../model/headers-schema.js';
import type { Maintenance } from '../../model/host-schema.js';
import type { GatewayReply } from '../routing/exchange.js';
import { textIn } from './agency-texts.js';
import { agencyHtml, brandedPageCss, pickLanguage, wantsJson } from './error-pages.js';
import { localTimeIn, type PageLang } from './local-time.js';
import { type Onward, onwardHtml, onwardOfReply } from './page-onward.js';

/** What the hot path needs: the JSON body and the end time decided at compile time, the pages on first use. */
export interface MaintenancePlan {
  readonly host: string;
  readonly message: string | undefined;
  /** The announced end as given (ISO 8601), for the datetime attribute and JSON. */
  readonly untilIso: string | undefined;
  readonly json: string;
  /** Date.now() of the announced end, or 0 when none was given. */
  readonly until: number;
  /** Rendered pages by language, zone and way onward: a handful per plan (two listeners, two languages). */
  readonly pages: Map<string, string>;
  /** The agency's own texts for the page (`errorPages.maintenance`). */
  readonly texts?: ErrorPageTexts | undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const TEXT = {
  id: {
    title: 'Sedang dalam pemeliharaan',
    body: 'Layanan ini sedang dalam pemeliharaan dan akan segera kembali.',
    until: 'Perkiraan selesai',
  },
  en: {
    title: 'Under maintenance',
    body: 'This service is being maintained and will be back soon.',
    until: 'Expected back',
  },
} as const;

function page(plan: MaintenancePlan, lang: PageLang, timeZone: string, onward: Onward): string {
  const t = TEXT[lang];
  const shown = plan.untilIso ? localTimeIn(timeZone).format(plan.untilIso, lang) : '';
  const when =
    plan.untilIso && shown
      ? `<p><small>${t.until}: <time datetime="${escapeHtml(plan.untilIso)}">${escapeHtml(shown)}</time></small></p>`
      : '';
  const note = plan.message ? `<p>${escapeHtml(plan.message)}</p>` : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>503 · ${t.title}</title>
<style>${brandedPageCss('#c98a00')}</style>
</head><body><main><small>Pemerintah Kabupaten Paser · ${escapeHtml(plan.host)}</small><h1>${t.title}</h1>
<p>${t.body}</p>${note}${agencyHtml(textIn(plan.texts, lang))}${when}${onwardHtml(lang, onward)}</main></body></html>
`;
}

/** The page in `lang` for a listener's zone and way onward, rendered once and then reused. */
export function maintenanceHtml(
  plan: MaintenancePlan,
  lang: PageLang,
  timeZone: string,
  onward: Onward,
): string {
  const key = `${lang}\n${timeZone}\n${onward.directoryUrl ?? ''}\n${onward.owner ?? ''}\n${onward.contact ?? ''}`;
  let html = plan.pages.get(key);
  if (html === undefined) {
    html = page(plan, lang, timeZone, onward);
    plan.pages.set(key, html);
  }
  return html;
}

/** Compiles a host's maintenance setting; undefined when it is off (the hot path then pays one property read). */
export function compileMaintenance(
  host: string,
  maintenance: Maintenance | undefined,
  texts?: ErrorPageTexts,
): MaintenancePlan | undefined {
  if (maintenance?.enabled !== true) return undefined;
  const until = maintenance.until ? Date.parse(maintenance.until) : 0;
  return {
    host,
    message: maintenance.message,
    untilIso: maintenance.until,
    json: JSON.stringify({
      error: {
        code: 'MAINTENANCE',
        message: maintenance.message ?? 'This service is under maintenance',
        ...(maintenance.until ? { until: maintenance.until } : {}),
      },
    }),
    until: Number.isFinite(until) ? until : 0,
    pages: new Map(),
    texts,
  };
}

/** Seconds until the announced end (at least 1), or the default when none is announced or it has passed. */
export function retryAfterSeconds(plan: MaintenancePlan, now: number): number {
  const left = Math.ceil((plan.until - now) / 1000);
  return plan.until > 0 && left > 0 ? left : DEFAULT_MAINTENANCE_RETRY_AFTER_S;
}

export function sendMaintenance(reply: GatewayReply, plan: MaintenancePlan): void {
  const request = reply.request;
  if (request.gerbang) request.gerbang.errorCode = 'MAINTENANCE';
  const headers = request.headers;
  reply
    .code(503)
    .header('retry-after', String(retryAfterSeconds(plan, Date.now())))
    .header('x-request-id', request.id)
    .header('cache-control', 'no-store');
  if (wantsJson(headers.accept)) {
    reply.type('application/json').send(plan.json);
    return;
  }
  const lang = pickLanguage(headers['accept-language']);
  const timeZone = reply.server.gerbangPages?.timeZone ?? DEFAULT_TIME_ZONE;
  reply
    .type('text/html; charset=utf-8')
    .header('content-language', lang)
    .send(maintenanceHtml(plan, lang, timeZone, onwardOfReply(reply)));
}
