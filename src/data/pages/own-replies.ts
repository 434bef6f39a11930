/** Replies Gerbang writes itself (not its backends): branded page or JSON, always with the request id. */
import { ERROR_CODES, type ErrorCode } from '../../errors.js';
import type { GatewayReply } from '../routing/exchange.js';
import { agencyTextFor } from './agency-texts.js';
import { pickLanguage, renderErrorPage, wantsJson } from './error-pages.js';
import type { PageLang } from './local-time.js';
import { onwardOfReply } from './page-onward.js';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  HOST_NOT_FOUND: 'No service is registered for this host',
  NOT_FOUND: 'No route matches this path',
  BAD_REQUEST: 'Malformed request',
  BAD_GATEWAY: 'The backend did not answer',
  GATEWAY_TIMEOUT: 'The backend took too long to answer',
  UPSTREAM_UNAVAILABLE: 'The backend is unavailable',
  REQUEST_BODY_TIMEOUT: 'The request body arrived too slowly',
  BACKEND_CLIENT_LIMIT: 'Too many requests from this address to this service at once',
  RATE_LIMITED: 'Too many requests from this address to this service; retry after Retry-After seconds',
  SHUTTING_DOWN: 'This gateway instance is shutting down; retry',
  ACCESS_DENIED: 'This address may not use this service',
  FORBIDDEN: 'Forbidden',
  AUTH_REQUIRED: 'This service asks for a user name and password',
  MISDIRECTED_REQUEST: 'This connection does not serve this host; retry on a new connection',
};

/** The message of an own error's JSON body (also written on raw sockets: upgrade-replies.ts). */
export function ownErrorMessage(code: ErrorCode): string {
  return MESSAGES[code] ?? code;
}

/** Answers given while the client's body may still be unread: the connection cannot carry another request. */
const ENDS_CONNECTION: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'REQUEST_BODY_TIMEOUT',
  'BACKEND_CLIENT_LIMIT',
]);

/** The routed host's (or route's) own text for this page, if it set one. */
function agencyTextOf(reply: GatewayReply, status: number, lang: PageLang): string | undefined {
  const ctx = reply.request.gerbang;
  return ctx === undefined ? undefined : agencyTextFor(ctx.host, ctx.route, status, lang);
}

export function sendOwnError(reply: GatewayReply, code: ErrorCode, status: number = ERROR_CODES[code]): void {
  const request = reply.request;
  if (request.gerbang) request.gerbang.errorCode = code;
  const headers = request.headers;
  reply.code(status).header('x-request-id', request.id).header('cache-control', 'no-store');
  if (ENDS_CONNECTION.has(code)) reply.header('connection', 'close');
  if (wantsJson(headers.accept)) {
    reply
      .type('application/json')
      .send({ error: { code, message: MESSAGES[code] ?? code, requestId: request.id } });
    return;
  }
  const lang = pickLanguage(headers['accept-language']);
  reply
    .type('text/html; charset=utf-8')
    .header('content-language', lang)
    .send(
      renderErrorPage(
        status,
        code,
        lang,
        request.id,
        onwardOfReply(reply),
        agencyTextOf(reply, status, lang),
      ),
    );
}
