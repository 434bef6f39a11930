/** Gerbang's own answers to an upgrade request, written on the raw socket as an ordinary request would get them (branded error, maintenance page, 308), then the socket closes. */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { DEFAULT_TIME_ZONE } from '../../config/defaults.js';
import { ERROR_CODES, type ErrorCode } from '../../errors.js';
import type { ErrorPages } from '../../model/headers-schema.js';
import { pageTextIn } from '../pages/agency-texts.js';
import { pickLanguage, renderErrorPage, wantsJson } from '../pages/error-pages.js';
import { type MaintenancePlan, maintenanceHtml, retryAfterSeconds } from '../pages/maintenance-page.js';
import { ownErrorMessage } from '../pages/own-replies.js';
import { NO_ONWARD, type Onward } from '../pages/page-onward.js';
import { closeAfterAnswer } from './lingering-close.js';

export type HeaderLines = ReadonlyArray<readonly [string, string]>;

/** A whole response head; the connection always closes after it (an upgrade socket carries one request). */
export function responseHead(status: number, headers: HeaderLines, statusText?: string): string {
  let head = `HTTP/1.1 ${status} ${statusText ?? STATUS_CODES[status] ?? ''}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  return `${head}Connection: close\r\n\r\n`;
}

function answer(
  socket: Duplex,
  status: number,
  requestId: string,
  extra: HeaderLines,
  type: string | undefined,
  body: string,
): void {
  const headers: Array<readonly [string, string]> = [
    ['X-Request-Id', requestId],
    ['Cache-Control', 'no-store'],
    ...extra,
  ];
  if (type !== undefined) headers.push(['Content-Type', type]);
  headers.push(['Content-Length', String(Buffer.byteLength(body))]);
  closeAfterAnswer(socket, responseHead(status, headers) + body);
}

/** The branded page (or JSON for API clients) of an own error, as own-replies.ts answers it on fastify. */
export function refuseUpgrade(
  socket: Duplex,
  req: IncomingMessage,
  requestId: string,
  code: ErrorCode,
  extra: HeaderLines = [],
  onward: Onward = NO_ONWARD,
  /** The routed host's `errorPages`, for the agency's own text on the page. */
  texts?: ErrorPages,
): void {
  const status = ERROR_CODES[code];
  if (wantsJson(req.headers.accept)) {
    const body = JSON.stringify({ error: { code, message: ownErrorMessage(code), requestId } });
    answer(socket, status, requestId, extra, 'application/json', body);
    return;
  }
  const lang = pickLanguage(req.headers['accept-language']);
  const body = renderErrorPage(status, code, lang, requestId, onward, pageTextIn(texts, status, lang));
  answer(socket, status, requestId, [...extra, ['Content-Language', lang]], 'text/html; charset=utf-8', body);
}

/** The host's maintenance page with its Retry-After, as maintenance-page.ts answers an ordinary request. */
export function maintenanceForUpgrade(
  socket: Duplex,
  req: IncomingMessage,
  requestId: string,
  plan: MaintenancePlan,
  extra: HeaderLines = [],
  page: { timeZone?: string | undefined; onward?: Onward } = {},
): void {
  const headers: Array<readonly [string, string]> = [
    ...extra,
    ['Retry-After', String(retryAfterSeconds(plan, Date.now()))],
  ];
  if (wantsJson(req.headers.accept)) {
    answer(socket, 503, requestId, headers, 'application/json', plan.json);
    return;
  }
  const lang = pickLanguage(req.headers['accept-language']);
  headers.push(['Content-Language', lang]);
  const html = maintenanceHtml(plan, lang, page.timeZone ?? DEFAULT_TIME_ZONE, page.onward ?? NO_ONWARD);
  answer(socket, 503, requestId, headers, 'text/html; charset=utf-8', html);
}

/** 308 to the same URL on https, as plain-http.ts redirects an ordinary request (wss:// is the upgrade's https). */
export function redirectUpgradeToHttps(socket: Duplex, requestId: string, location: string): void {
  answer(socket, 308, requestId, [['Location', location]], undefined, '');
}

/** An alias's, redirect-only host's or prefix rule's redirect, as sendRedirect answers an ordinary request. */
export function redirectUpgrade(
  socket: Duplex,
  requestId: string,
  status: number,
  location: string,
  extra: HeaderLines,
): void {
  answer(socket, status, requestId, [['Location', location], ...extra], undefined, '');
}
