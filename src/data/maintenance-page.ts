/** Hosts under maintenance: the branded 503 page, built once per snapshot, answered without touching the backend. */
import type { FastifyReply } from 'fastify';
import { DEFAULT_MAINTENANCE_RETRY_AFTER_S } from '../config/defaults.js';
import type { Maintenance } from '../model/host-schema.js';
import { pickLanguage, wantsJson } from './error-pages.js';

/** What the hot path needs: pages in both languages and the end time, all decided at compile time. */
export interface MaintenancePlan {
  readonly html: { readonly id: string; readonly en: string };
  readonly json: string;
  /** Date.now() of the announced end, or 0 when none was given. */
  readonly until: number;
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

function page(
  lang: 'id' | 'en',
  host: string,
  message: string | undefined,
  until: string | undefined,
): string {
  const t = TEXT[lang];
  const when = until
    ? `<p><small>${t.until}: <time datetime="${escapeHtml(until)}">${escapeHtml(until.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time></small></p>`
    : '';
  const note = message ? `<p>${escapeHtml(message)}</p>` : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>503 · ${t.title}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1f2933}main{max-width:36rem;margin:12vh auto;padding:2rem;background:#fff;border-top:6px solid #c98a00;border-radius:8px}h1{font-size:1.4rem;margin:.2rem 0 1rem}small{color:#52606d}</style>
</head><body><main><small>Pemerintah Kabupaten Paser · ${escapeHtml(host)}</small><h1>${t.title}</h1>
<p>${t.body}</p>${note}${when}</main></body></html>
`;
}

/** Compiles a host's maintenance setting; undefined when it is off (the hot path then pays one property read). */
export function compileMaintenance(
  host: string,
  maintenance: Maintenance | undefined,
): MaintenancePlan | undefined {
  if (maintenance?.enabled !== true) return undefined;
  const until = maintenance.until ? Date.parse(maintenance.until) : 0;
  return {
    html: {
      id: page('id', host, maintenance.message, maintenance.until),
      en: page('en', host, maintenance.message, maintenance.until),
    },
    json: JSON.stringify({
      error: {
        code: 'MAINTENANCE',
        message: maintenance.message ?? 'This service is under maintenance',
        ...(maintenance.until ? { until: maintenance.until } : {}),
      },
    }),
    until: Number.isFinite(until) ? until : 0,
  };
}

/** Seconds until the announced end (at least 1), or the default when none is announced or it has passed. */
export function retryAfterSeconds(plan: MaintenancePlan, now: number): number {
  const left = Math.ceil((plan.until - now) / 1000);
  return plan.until > 0 && left > 0 ? left : DEFAULT_MAINTENANCE_RETRY_AFTER_S;
}

export function sendMaintenance(reply: FastifyReply, plan: MaintenancePlan): void {
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
  reply.type('text/html; charset=utf-8').header('content-language', lang).send(plan.html[lang]);
}
